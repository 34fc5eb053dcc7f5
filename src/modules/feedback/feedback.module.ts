import './feedback.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProvidersModule } from 'src/modules/providers/providers.module';
import { SessionsModule } from 'src/modules/sessions/sessions.module';
import { SessionFeedback } from './entities/session-feedback.entity';
import { FeedbackController } from './feedback.controller';
import { FeedbackService } from './feedback.service';
import { FeedbackPersonalData } from './feedback-personal-data';
import { UsersModule } from 'src/modules/users/users.module';

/**
 * Feedback on completed sessions (HumanLink §Feedback). The session comes from the
 * sessions module's SessionsService.sessionForFeedback, the provider's rating is kept by
 * the providers module's ProviderProfilesService.recordRating, both in the submit's transaction.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SessionFeedback]), SessionsModule, ProvidersModule, UsersModule],
  controllers: [FeedbackController],
  providers: [FeedbackPersonalData, FeedbackService],
})
export class FeedbackModule {}
