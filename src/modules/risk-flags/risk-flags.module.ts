import './risk-flags.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from 'src/modules/audit/audit.module';
import { CareTeamModule } from 'src/modules/care-team/care-team.module';
import { ChatModule } from 'src/modules/chat/chat.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { PtsdModule } from 'src/modules/ptsd/ptsd.module';
import { SafetyModule } from 'src/modules/safety/safety.module';
import { SafetyPlansModule } from 'src/modules/safety-plans/safety-plans.module';
import { UsersModule } from 'src/modules/users/users.module';
import { RiskDetection } from './entities/risk-detection.entity';
import { RiskFlagNote } from './entities/risk-flag-note.entity';
import { RiskFlag } from './entities/risk-flag.entity';
import { CrisisSupportController, RiskFlagsTriageController } from './risk-flags.controller';
import { RiskFlagsService } from './risk-flags.service';
import { RiskPager } from './risk-pager.service';
import { RiskTriageService } from './risk-triage.service';
import { RiskFlagsPersonalData } from './risk-flags-personal-data';

/**
 * Risk flags and escalation: crisis language in what users write (chat through ChatTextHooks;
 * companion, mood notes and goal progress through RiskFlagsService.scanText) raises a flag,
 * paged to the care team and staff, and again to all staff until acknowledged.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([RiskFlag, RiskDetection, RiskFlagNote]),
    SafetyModule,
    SafetyPlansModule,
    PtsdModule,
    UsersModule,
    ChatModule,
    CareTeamModule,
    NotificationsModule,
    AuditModule,
  ],
  controllers: [RiskFlagsTriageController, CrisisSupportController],
  providers: [RiskFlagsPersonalData, RiskFlagsService, RiskPager, RiskTriageService],
  exports: [RiskFlagsService],
})
export class RiskFlagsModule {}
