import './screeners.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CareTeamModule } from 'src/modules/care-team/care-team.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { RiskFlagsModule } from 'src/modules/risk-flags/risk-flags.module';
import { UsersModule } from 'src/modules/users/users.module';
import { SafetySignal } from './entities/safety-signal.entity';
import { ScreenerResponse } from './entities/screener-response.entity';
import { SafetySignalsController } from './safety-signals.controller';
import { ScreenersController } from './screeners.controller';
import { ScreenersService } from './screeners.service';
import { SharedScreenersController } from './shared-screeners.controller';
import { ScreenersPersonalData } from './screeners-personal-data';

/**
 * PHQ-9 and GAD-7 screeners: scored answers and history, safety signals (PHQ-9 item 9)
 * that notify staff and the care team, the staff list of signals, and read-only shared
 * reads for a client's care team.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ScreenerResponse, SafetySignal]), CareTeamModule, NotificationsModule, UsersModule, RiskFlagsModule],
  controllers: [ScreenersController, SharedScreenersController, SafetySignalsController],
  providers: [ScreenersPersonalData, ScreenersService],
})
export class ScreenersModule {}
