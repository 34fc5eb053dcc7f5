import './care-team.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChatModule } from 'src/modules/chat/chat.module';
import { UsersModule } from 'src/modules/users/users.module';
import { CareGrant } from './care-grant.entity';
import { CareTeamController } from './care-team.controller';
import { CareTeamService } from './care-team.service';
import { CareTeamPersonalData } from './care-team-personal-data';

/** Care-team sharing: clients grant therapists read access to their self-care data; features ask CareTeamService. */
@Module({
  imports: [TypeOrmModule.forFeature([CareGrant]), ChatModule, UsersModule],
  controllers: [CareTeamController],
  providers: [CareTeamPersonalData, CareTeamService],
  exports: [CareTeamService],
})
export class CareTeamModule {}
