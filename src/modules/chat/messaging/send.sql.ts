/**
 * The SQL of the send path, in one place. Both statements decide who may send with the
 * same verdict (`sendVerdict`), so the rule exists once: the send statement stores only
 * what it allows and returns the verdict of what it refused, and the pre-check that
 * settles access before a send's references are looked at asks the same question.
 */
import type { NotificationFields } from 'src/modules/notifications/notifications.service';
import type { ConversationKind } from '../entities/conversation.entity';

/** Why a send is refused, apart from membership (`member` says that): null when it may go. */
export type SendRefusal = 'not_found' | 'blocked' | 'not_active' | 'room_archived' | 'room_forbids';

/** The verdict on one sender and conversation. */
export interface SendVerdict {
  /** Null when the conversation does not exist. */
  kind: ConversationKind | null;
  /** The sender is a current participant. */
  member: boolean;
  refusal: SendRefusal | null;
}

/**
 * Who may send: a current participant of an existing, active conversation whose room (direct
 * chats only) is active, not archived and lets the sender's side (patient or provider) send.
 * `input` is a relation with `conversation_id` and `sender_id` columns; every input column
 * is carried through.
 */
const sendVerdict = (input: string): string => `
  SELECT i.*, c.kind, (p.user_id IS NOT NULL AND p.left_at IS NULL) AS member,
         CASE WHEN c.id IS NULL THEN 'not_found'
              WHEN c.status = 'blocked' THEN 'blocked'
              WHEN c.status <> 'active' THEN 'not_active'
              WHEN r.is_archived OR NOT r.is_active THEN 'room_archived'
              WHEN NOT CASE WHEN p.role = 'patient' THEN r.patient_can_send ELSE r.therapist_can_send END THEN 'room_forbids'
         END AS refusal
    FROM ${input} i
    LEFT JOIN conversations c ON c.id = i.conversation_id
    LEFT JOIN conversation_participants p ON p.conversation_id = i.conversation_id AND p.user_id = i.sender_id
    LEFT JOIN chat_rooms r ON r.conversation_id = i.conversation_id`;

/** $1 conversation id, $2 sender id: the verdict, one row. */
export const SEND_CHECK_SQL = `
WITH input AS (SELECT $1::uuid AS conversation_id, $2::uuid AS sender_id)
SELECT v.kind, v.member, v.refusal FROM (${sendVerdict('input')}) v`;

/** A row of SEND_MESSAGES_SQL: a stored send (seq set), or a refused one (its verdict). */
export interface SendRow extends SendVerdict {
  id: string;
  /** Null when the send was refused. */
  seq: number | null;
  support_user_id: string | null;
  /** The other current participants of a direct or support chat. */
  recipient_ids: string[] | null;
  /** The message notifications the statement wrote (createdAt as JSON text). */
  notifications: Array<Omit<NotificationFields, 'createdAt'> & { createdAt: string }> | null;
}

/**
 * Stores a batch of sends (at most one per conversation) in one statement: numbers each
 * message under its conversation's row lock (taken in id order, so concurrent batches
 * cannot deadlock; sequence order is commit order), moves the last-message pointer and the
 * sender's own watermarks, and returns who else should hear of it. A send the verdict
 * refuses writes nothing and returns its verdict. A send allowed by the verdict whose
 * conversation stopped being active before its lock was taken returns no row.
 */
export const SEND_MESSAGES_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::text[], $9::bool[], $10::timestamptz[])
    AS i(conversation_id, id, sender_id, type, body, reply_to_id, attachment_id, client_message_id, emergency, created_at)
), verdict AS (${sendVerdict('input')}
), allowed AS (
  SELECT * FROM verdict WHERE member AND refusal IS NULL
), locked AS (
  SELECT c.id FROM conversations c WHERE c.id IN (SELECT conversation_id FROM allowed) AND c.status = 'active'
   ORDER BY c.id FOR NO KEY UPDATE
), conv AS (
  UPDATE conversations c
     SET last_seq = c.last_seq + 1, last_message_id = a.id, last_message_at = a.created_at, activity_at = a.created_at,
         last_message_sender_id = a.sender_id, updated_at = a.created_at
    FROM allowed a, locked l
   WHERE c.id = a.conversation_id AND l.id = c.id
  RETURNING c.id, c.last_seq, c.kind, c.support_user_id
), msg AS (
  INSERT INTO messages (id, conversation_id, seq, sender_id, type, body, reply_to_id, attachment_id, client_message_id,
                        emergency, emergency_at, emergency_by_id, created_at)
  SELECT a.id, a.conversation_id, conv.last_seq, a.sender_id, a.type, a.body, a.reply_to_id, a.attachment_id, a.client_message_id,
         a.emergency, CASE WHEN a.emergency THEN a.created_at END, CASE WHEN a.emergency THEN a.sender_id END, a.created_at
    FROM allowed a JOIN conv ON conv.id = a.conversation_id
  RETURNING id, conversation_id, sender_id, seq, created_at
), mine AS (
  UPDATE conversation_participants p SET last_read_seq = msg.seq, last_delivered_seq = msg.seq, last_read_at = msg.created_at
    FROM msg WHERE p.conversation_id = msg.conversation_id AND p.user_id = msg.sender_id
), recipients AS (
  SELECT msg.id AS message_id, p.user_id, p.notifications_enabled
    FROM msg JOIN conv ON conv.id = msg.conversation_id
    JOIN conversation_participants p ON p.conversation_id = msg.conversation_id AND p.user_id <> msg.sender_id AND p.left_at IS NULL
   WHERE conv.kind <> 'group'
), notified AS (
  -- The new-message notification of direct and support chats: one unread per recipient
  -- and chat, counting messages (groups rely on unread counts, or a busy group would
  -- write a row per member per message). Written with the message, pushed by NotificationsService.
  INSERT INTO notifications (user_id, title, message, notification_type, related_id, count, created_at)
  SELECT r.user_id, CASE WHEN conv.kind = 'support' THEN 'Support chat' ELSE 'New message' END,
         'You have a new message from ' || CASE
           -- A staff answer in a support chat comes from the team, not from one person's name.
           WHEN conv.kind = 'support' AND msg.sender_id IS DISTINCT FROM conv.support_user_id THEN 'the support team'
           ELSE coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), 'someone') END,
         'message', msg.conversation_id, 1, msg.created_at
    FROM recipients r JOIN msg ON msg.id = r.message_id JOIN conv ON conv.id = msg.conversation_id
    LEFT JOIN users u ON u.id = msg.sender_id
   WHERE r.notifications_enabled
  ON CONFLICT (user_id, related_id) WHERE notification_type = 'message' AND read = false
  DO UPDATE SET count = notifications.count + 1, created_at = EXCLUDED.created_at,
                message = 'You have ' || (notifications.count + 1) || ' new messages from ' || substring(EXCLUDED.message from ' from (.*)$')
  RETURNING id, user_id AS "userId", title, message, notification_type AS "notificationType", related_id AS "relatedId",
            count, read, created_at AS "createdAt"
)
SELECT msg.id, msg.seq::int AS seq, conv.kind, true AS member, NULL::text AS refusal, conv.support_user_id,
       ARRAY(SELECT r.user_id FROM recipients r WHERE r.message_id = msg.id) AS recipient_ids,
       (SELECT coalesce(json_agg(n), '[]'::json) FROM notified n WHERE n."relatedId" = msg.conversation_id) AS notifications
  FROM msg JOIN conv ON conv.id = msg.conversation_id
UNION ALL
SELECT v.id, NULL, v.kind, v.member, v.refusal, NULL, NULL, NULL
  FROM verdict v WHERE NOT v.member OR v.refusal IS NOT NULL`;
