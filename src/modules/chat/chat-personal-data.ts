import { Injectable } from '@nestjs/common';
import { AfterErasure, ArchiveSection, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { AttachmentsService } from './attachments.service';
import { ConversationKind } from './chat.types';
import { MessageCipher } from './message-cipher.service';

/**
 * The user's support conversation goes whole. In chats with other people their messages
 * stay in place, from the anonymous account, with the body (and earlier versions, and their
 * files) removed, so the other side's history still opens and reads in order. They leave
 * the groups they were in.
 */
@Injectable()
export class ChatPersonalData extends FeaturePersonalData {
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

  constructor(
    registry: PersonalDataRegistry,
    private readonly attachments: AttachmentsService,
    private readonly cipher: MessageCipher,
  ) {
    super(registry);
  }

  /**
   * Every conversation the user is or was in, with its messages: their own, and the others'
   * as the conversation's record (bodies decrypted; files listed by name, type and size).
   */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const conversations = await manager.query<Array<Record<string, unknown> & { id: string }>>(
      `SELECT c.id, c.kind, c.name, c.created_at, p.role, p.joined_at, p.left_at
         FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
        WHERE p.user_id = $1 ORDER BY p.joined_at, c.id`,
      [userId],
    );
    if (conversations.length === 0) return null;
    const messages = await manager.query<Array<{ id: string; conversation_id: string; body: string | null } & Record<string, unknown>>>(
      `SELECT m.id, m.conversation_id, m.seq, m.sender_id, m.type, m.body, m.created_at, m.edited_at, m.deleted,
              a.original_name AS attachment_name, a.mime_type AS attachment_type, a.size AS attachment_size
         FROM messages m LEFT JOIN attachments a ON a.id = m.attachment_id
        WHERE m.conversation_id = ANY($1::uuid[]) ORDER BY m.conversation_id, m.seq`,
      [conversations.map((c) => c.id)],
    );
    const byConversation = new Map<string, unknown[]>();
    for (const { body, ...message } of messages) {
      const list = byConversation.get(message.conversation_id) ?? [];
      list.push({ ...message, text: body === null ? null : this.cipher.decryptBody(message.id, body) });
      byConversation.set(message.conversation_id, list);
    }
    return { conversations: conversations.map((c) => ({ ...c, messages: byConversation.get(c.id) ?? [] })) };
  }

  async erase(userId: string, manager: EntityManager): Promise<AfterErasure> {
    const files = (await manager.query<[Array<{ storage_key: string }>, number]>(
      `DELETE FROM attachments WHERE uploader_id = $1
          OR conversation_id IN (SELECT id FROM conversations WHERE kind = $2 AND support_user_id = $1)
       RETURNING storage_key`,
      [userId, ConversationKind.Support],
    ));
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
    const storageKeys = files[0].map((row) => row.storage_key);
    return () => this.attachments.removeFiles(storageKeys);
  }
}
