/**
 * The companion's statements, in one place; each returns plain rows. Updates are wrapped in
 * a CTE so every statement answers rows (TypeORM returns `[rows, count]` for a bare UPDATE).
 */

export interface UsageRow {
  count: number;
}

/**
 * Takes one message from the user's daily quota, or nothing: the row is created at 1 or
 * raised by one only while below the limit, under its row lock, so concurrent sends never
 * pass the limit. No row back: the quota is used up. Params: user, day, limit.
 */
export const TAKE_QUOTA_SQL = `
INSERT INTO companion_usage (user_id, day, count)
SELECT $1, $2::date, 1 WHERE $3::int > 0
ON CONFLICT (user_id, day) DO UPDATE SET count = companion_usage.count + 1
WHERE companion_usage.count < $3::int
RETURNING count`;

/** Messages the user sent on a day. Params: user, day. */
export const USAGE_SQL = `SELECT count FROM companion_usage WHERE user_id = $1 AND day = $2::date`;

export interface PositionRow {
  message_count: number;
  summary: string | null;
  summarized_through: number;
}

/**
 * Reserves the next `$3` positions of the user's conversation and locks its row until the
 * transaction ends (sends to one conversation take turns there). No row: not found or not
 * theirs. Params: conversation, user, how many.
 */
export const RESERVE_POSITIONS_SQL = `
WITH reserved AS (
  UPDATE companion_conversations
  SET message_count = message_count + $3::int, last_message_at = now(), updated_at = now()
  WHERE id = $1 AND user_id = $2
  RETURNING message_count, summary, summarized_through
)
SELECT message_count, summary, summarized_through FROM reserved`;

/** Stores the rolling summary and how far it reaches. Params: conversation, summary, summarized through. */
export const SAVE_SUMMARY_SQL = `
WITH saved AS (
  UPDATE companion_conversations SET summary = $2, summarized_through = $3::int WHERE id = $1 RETURNING id
)
SELECT id FROM saved`;

export interface MessageRow {
  id: string;
  sender: string;
  text: string;
  position: number;
}

/** The conversation's messages with positions in ($2, $3], oldest first. Params: conversation, after, through. */
export const MESSAGES_BETWEEN_SQL = `
SELECT id, sender, text, position FROM companion_messages
WHERE conversation_id = $1 AND position > $2::int AND position <= $3::int
ORDER BY position`;
