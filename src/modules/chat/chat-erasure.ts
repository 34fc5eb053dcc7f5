import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { AttachmentsService } from './attachments.service';
import { ConversationKind } from './chat.types';

/**
 * The user's support conversation goes whole. In chats with other people their messages
 * stay in place, from the anonymous account, with the body (and earlier versions, and their
 * files) removed, so the other side's history still opens and reads in order. They leave
 * the groups they were in.
 */
@Injectable()
export class ChatErasure extends FeatureErasure {
  readonly feature = 'chat';
  readonly tables = new Map([
    ['conversations', 'the support conversation deleted; others kept (group names are the community\'s), links to the account point at the anonymous row'],
    ['conversation_participants', 'kept in direct chats (the other side sees a deleted account); groups left, member counts lowered'],
    ['messages', 'deleted in the support conversation; elsewhere kept in place (history still reads in order) from the anonymous account, body removed'],
    ['message_edits', 'earlier versions of the account\'s messages deleted'],
    ['message_reactions', 'the account\'s reactions deleted'],
    ['attachments', 'files the account uploaded deleted, rows and stored files'],
    ['chat_rooms', 'no personal data (room settings)'],
  ]);
  /** Stored files to remove once the erasure committed. */
  private readonly pending = new Map<string, string[]>();

  constructor(
    registry: PersonalDataRegistry,
    private readonly attachments: AttachmentsService,
  ) {
    super(registry);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    const files = (await manager.query<[Array<{ storage_key: string }>, number]>(
      `DELETE FROM attachments WHERE uploader_id = $1
          OR conversation_id IN (SELECT id FROM conversations WHERE kind = $2 AND support_user_id = $1)
       RETURNING storage_key`,
      [userId, ConversationKind.Support],
    ));
    this.pending.set(userId, files[0].map((row) => row.storage_key));
    await manager.query('DELETE FROM conversations WHERE kind = $2 AND support_user_id = $1', [userId, ConversationKind.Support]);
    await manager.query('DELETE FROM message_edits WHERE message_id IN (SELECT id FROM messages WHERE sender_id = $1)', [userId]);
    await manager.query('UPDATE messages SET body = NULL WHERE sender_id = $1 AND body IS NOT NULL', [userId]);
    await manager.query('DELETE FROM message_reactions WHERE user_id = $1', [userId]);
    await manager.query(
      `WITH left_groups AS (
         UPDATE conversation_participants p SET left_at = now()
           FROM conversations c
          WHERE p.conversation_id = c.id AND c.kind = $2 AND p.user_id = $1 AND p.left_at IS NULL
         RETURNING p.conversation_id
       )
       UPDATE conversations SET member_count = member_count - 1 WHERE id IN (SELECT conversation_id FROM left_groups)`,
      [userId, ConversationKind.Group],
    );
  }

  async afterCommit(userId: string): Promise<void> {
    const files = this.pending.get(userId) ?? [];
    this.pending.delete(userId);
    await this.attachments.removeFiles(files);
  }
}
