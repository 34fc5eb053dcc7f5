import './safety-plans.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CareTeamModule } from 'src/modules/care-team/care-team.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { SafetyModule } from 'src/modules/safety/safety.module';
import { UsersModule } from 'src/modules/users/users.module';
import { CrisisResourcesController } from './crisis-resources.controller';
import { SafetyPlanVersion } from './entities/safety-plan-version.entity';
import { SafetyPlansController } from './safety-plans.controller';
import { SafetyPlansService } from './safety-plans.service';
import { SafetyPlansPersonalData } from './safety-plans-personal-data';

/**
 * Safety plans (Stanley–Brown), shown with crisis resources: encrypted, versioned, written
 * by the user and the therapists on their care team (CareTeamService decides who). Also
 * serves the crisis helplines route, which picks the caller's country from their profile.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SafetyPlanVersion]), CareTeamModule, NotificationsModule, SafetyModule, UsersModule],
  controllers: [SafetyPlansController, CrisisResourcesController],
  providers: [SafetyPlansPersonalData, SafetyPlansService],
  exports: [SafetyPlansService],
})
export class SafetyPlansModule {}
