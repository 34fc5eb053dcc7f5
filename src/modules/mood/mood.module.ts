import './mood.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RiskFlagsModule } from 'src/modules/risk-flags/risk-flags.module';
import { CareTeamModule } from 'src/modules/care-team/care-team.module';
import { UsersModule } from 'src/modules/users/users.module';
import { MoodEntry } from './entities/mood-entry.entity';
import { ClientMoodController, MoodController } from './mood.controller';
import { MoodService } from './mood.service';
import { MoodPersonalData } from './mood-personal-data';

/**
 * Mood log: entries, history, analytics and streaks per local day (the user's time zone,
 * from UserDirectoryService), CSV export, and read-only views for a client's care team
 * (authorised and audited by CareTeamService).
 */
@Module({
  imports: [TypeOrmModule.forFeature([MoodEntry]), UsersModule, CareTeamModule, RiskFlagsModule],
  controllers: [MoodController, ClientMoodController],
  providers: [MoodPersonalData, MoodService],
})
export class MoodModule {}
