/**
 * The SQL of the read path (history pages, the chat an id names), run as named prepared
 * statements that return plain rows: no entity graph is hydrated on the hottest reads.
 */
import type { ConversationKind, ParticipantRole } from '../chat.types';

/** One row: the conversation, the caller's participant row (if any) and the room's history settings. */
export interface ReadAccessRow {
  id: string;
  kind: ConversationKind;
  support_user_id: string | null;
  role: ParticipantRole | null;
  left_at: Date | null;
  patient_can_see_history: boolean | null;
  therapist_can_see_history: boolean | null;
}

/** $1 conversation id, $2 the caller's user id. */
export const READ_ACCESS_SQL = `
SELECT c.id, c.kind, c.support_user_id, p.role, p.left_at,
       r.patient_can_see_history, r.therapist_can_see_history
  FROM conversations c
  LEFT JOIN conversation_participants p ON p.conversation_id = c.id AND p.user_id = $2
  LEFT JOIN chat_rooms r ON r.conversation_id = c.id
 WHERE c.id = $1`;

/** A message row with the Message entity's property names, and its reactions oldest first. */
export interface MessageRow {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string | null;
  type: string;
  body: string | null;
  replyToId: string | null;
  attachmentId: string | null;
  clientMessageId: string | null;
  emergency: boolean;
  emergencyAt: Date | null;
  emergencyById: string | null;
  edited: boolean;
  editedAt: Date | null;
  deleted: boolean;
  deletedAt: Date | null;
  deletedById: string | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  readById: string | null;
  createdAt: Date;
  reactions: Array<{ emoji: string; user_id: string }> | null;
}

const MESSAGE_COLUMNS = `
  m.id, m.conversation_id AS "conversationId", m.seq::int AS seq, m.sender_id AS "senderId", m.type, m.body,
  m.reply_to_id AS "replyToId", m.attachment_id AS "attachmentId", m.client_message_id AS "clientMessageId",
  m.emergency, m.emergency_at AS "emergencyAt", m.emergency_by_id AS "emergencyById", m.edited, m.edited_at AS "editedAt",
  m.deleted, m.deleted_at AS "deletedAt", m.deleted_by_id AS "deletedById", m.delivered_at AS "deliveredAt",
  m.read_at AS "readAt", m.read_by_id AS "readById", m.created_at AS "createdAt",
  (SELECT json_agg(json_build_object('emoji', r.emoji, 'user_id', r.user_id) ORDER BY r.created_at, r.user_id)
     FROM message_reactions r WHERE r.message_id = m.id) AS reactions`;

/**
 * A history page: $1 conversation, $2 include deleted, $3 type or null, $4 sender or null,
 * $5 emergency or null, $6 read status ('read' | 'delivered' | 'sent') or null, $7 below
 * this seq or null, $8 above this seq or null, $9 how many. Two statements, one per
 * direction, so each walks the (conversation_id, seq) index in its own order.
 */
const historyPage = (direction: 'ASC' | 'DESC'): string => `
SELECT ${MESSAGE_COLUMNS}
  FROM messages m
 WHERE m.conversation_id = $1
   AND ($2 OR NOT m.deleted)
   AND ($3::text IS NULL OR m.type = $3)
   AND ($4::uuid IS NULL OR m.sender_id = $4)
   AND ($5::bool IS NULL OR m.emergency = $5)
   AND ($6::text IS NULL
        OR ($6 = 'read' AND m.read_at IS NOT NULL)
        OR ($6 = 'delivered' AND m.read_at IS NULL AND m.delivered_at IS NOT NULL)
        OR ($6 = 'sent' AND m.read_at IS NULL AND m.delivered_at IS NULL))
   AND ($7::bigint IS NULL OR m.seq < $7)
   AND ($8::bigint IS NULL OR m.seq > $8)
 ORDER BY m.seq ${direction}
 LIMIT $9`;

export const HISTORY_NEWEST_FIRST_SQL = historyPage('DESC');
export const HISTORY_OLDEST_FIRST_SQL = historyPage('ASC');
