import './companion.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from 'src/config/app-config';
import { ChatModule } from 'src/modules/chat/chat.module';
import { PaymentsModule } from 'src/modules/payments/payments.module';
import { RiskFlagsModule } from 'src/modules/risk-flags/risk-flags.module';
import { SafetyModule } from 'src/modules/safety/safety.module';
import { UsersModule } from 'src/modules/users/users.module';
import { CompanionConversationsService } from './companion-conversations.service';
import { CompanionMessagingService } from './companion-messaging.service';
import { CompanionController } from './companion.controller';
import { CompanionEvents } from './companion.events';
import { CompanionConversation } from './entities/companion-conversation.entity';
import { CompanionMessage } from './entities/companion-message.entity';
import { CompanionUsage } from './entities/companion-usage.entity';
import { CompanionModel } from './model/companion-model';
import { OfflineResponder } from './model/offline-responder';
import { OpenAiCompatibleModel } from './model/openai-compatible.model';
import { CompanionPersonalData } from './companion-personal-data';

/**
 * The AI companion: conversations with an OpenAI-compatible model (COMPANION_MODEL_URL) or
 * the built-in offline responder, over HTTP and the `companion_send` socket event (registered
 * with chat's ClientEvents). Crisis scanning through RiskFlagsService, the daily quota from
 * the plan through EntitlementsService, the user's language and time zone through
 * UserDirectoryService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CompanionConversation, CompanionMessage, CompanionUsage]), ChatModule, UsersModule, PaymentsModule, RiskFlagsModule, SafetyModule],
  controllers: [CompanionController],
  providers: [CompanionPersonalData, 
    CompanionConversationsService,
    CompanionMessagingService,
    CompanionEvents,
    OfflineResponder,
    {
      provide: CompanionModel,
      inject: [AppConfig, OfflineResponder],
      useFactory: (config: AppConfig, offline: OfflineResponder): CompanionModel => (config.companion.model ? new OpenAiCompatibleModel(config) : offline),
    },
  ],
  exports: [CompanionConversationsService],
})
export class CompanionModule {}
