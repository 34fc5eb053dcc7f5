import './groups.errors';
import { Module } from '@nestjs/common';
import { ChatModule } from 'src/modules/chat/chat.module';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';

/**
 * SafeTalk support groups: list, create (verified therapists and staff), join, leave,
 * members, moderation. A group is a conversation of kind `group`, so its messages,
 * receipts and sockets are the chat module's; conversations and memberships go through
 * its exported ChatMembershipService, access checks through its ChatAccessService.
 */
@Module({
  imports: [ChatModule],
  controllers: [GroupsController],
  providers: [GroupsService],
})
export class GroupsModule {}
