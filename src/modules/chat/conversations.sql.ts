/**
 * The chat list's per-chat details in one prepared statement: the caller's unread count
 * (derived, so always exact) and notification setting, the other current participants of
 * direct and support chats, and the last message's encrypted body for the preview.
 */
export interface ChatDetailsRow {
  id: string;
  unread: number;
  notifications_enabled: boolean | null;
  /** Current participants' user ids (direct and support chats; null for groups). */
  member_ids: string[] | null;
  last_body: string | null;
}

/**
 * A participant's unread count: messages after their read watermark, not sent by them, not
 * deleted. Derived, never stored, so it is exact under any concurrency. `p` is their
 * conversation_participants row.
 */
const unreadOf = (p: string): string => `(SELECT count(*)::int FROM messages m
   WHERE m.conversation_id = ${p}.conversation_id AND m.seq > ${p}.last_read_seq
     AND m.deleted = false AND m.sender_id IS DISTINCT FROM ${p}.user_id)`;

/** $1 user id, $2 conversation ids: that user's unread count in each (of those they take part in). */
export const UNREAD_COUNTS_SQL = `
SELECT p.conversation_id, ${unreadOf('p')} AS unread
  FROM conversation_participants p
 WHERE p.user_id = $1 AND p.conversation_id = ANY($2::uuid[])`;

/** $1 the caller's user id, $2 conversation ids. */
export const CHAT_DETAILS_SQL = `
SELECT c.id,
       COALESCE(${unreadOf('me')}, 0) AS unread,
       me.notifications_enabled,
       CASE WHEN c.kind IN ('direct', 'support') THEN
         ARRAY(SELECT p.user_id FROM conversation_participants p
                WHERE p.conversation_id = c.id AND p.left_at IS NULL ORDER BY p.joined_at, p.user_id) END AS member_ids,
       (SELECT lm.body FROM messages lm WHERE lm.id = c.last_message_id) AS last_body
  FROM conversations c
  LEFT JOIN conversation_participants me ON me.conversation_id = c.id AND me.user_id = $1
 WHERE c.id = ANY($2::uuid[])`;
