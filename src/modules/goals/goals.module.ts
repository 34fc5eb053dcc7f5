import './goals.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionsModule } from 'src/modules/sessions/sessions.module';
import { CareTeamModule } from 'src/modules/care-team/care-team.module';
import { RiskFlagsModule } from 'src/modules/risk-flags/risk-flags.module';
import { GoalProgress } from './entities/goal-progress.entity';
import { Goal } from './entities/goal.entity';
import { GoalStatsController } from './goal-stats.controller';
import { GoalsController } from './goals.controller';
import { GoalsService } from './goals.service';
import { SharedGoalsController } from './shared-goals.controller';
import { GoalsPersonalData } from './goals-personal-data';
import { UsersModule } from 'src/modules/users/users.module';

/**
 * Goals and their progress entries (progress text encrypted at rest), the profile's goal
 * counts (`/users/me/stats`), and read-only shared reads for a client's care team.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Goal, GoalProgress]), CareTeamModule, SessionsModule, RiskFlagsModule, UsersModule],
  controllers: [GoalsController, GoalStatsController, SharedGoalsController],
  providers: [GoalsPersonalData, GoalsService],
  exports: [GoalsService],
})
export class GoalsModule {}
