import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CompanionModule } from 'src/modules/companion/companion.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { RetentionRun } from './entities/retention-run.entity';
import { RetentionController } from './retention.controller';
import { RetentionService } from './retention.service';
import { UsersModule } from 'src/modules/users/users.module';
import { RetentionPersonalData } from './retention-personal-data';

/**
 * Retention (`maintenance.retention`): deletes companion transcripts, notifications, ended
 * sessions and API tokens, finished mail and job records past their periods, through each
 * owner's exported service. Auth, audit, mail and the queue are global.
 */
@Module({
  imports: [TypeOrmModule.forFeature([RetentionRun]), CompanionModule, NotificationsModule, UsersModule],
  controllers: [RetentionController],
  providers: [RetentionPersonalData, RetentionService],
})
export class RetentionModule {}
