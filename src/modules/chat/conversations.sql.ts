/**
 * The chat list as prepared statements returning plain rows: a page of chats with
 * everything the list shows (the caller's unread count, derived so always exact, and
 * notification setting, the other participants of direct and support chats, the last
 * message's encrypted body for the preview) and the total, in one statement.
 */
import type { Role } from 'src/common/access/permissions';
import type { ConversationKind, ConversationStatus } from './entities/conversation.entity';

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

/** A chat as its list shows it to one caller: the conversation's fields (the entity's property names) and that caller's view of it. */
export interface ChatViewRow {
  id: string;
  kind: ConversationKind;
  status: ConversationStatus;
  name: string | null;
  blockedById: string | null;
  lastMessageId: string | null;
  lastMessageAt: Date | null;
  lastMessageSenderId: string | null;
  memberCount: number;
  createdAt: Date;
  unread: number;
  notifications_enabled: boolean | null;
  /** Current participants of direct and support chats, in joining order (null for groups). */
  members: Array<{ id: string; first_name: string; last_name: string; role: Role }> | null;
  /** The last message's encrypted body, for the preview. */
  last_body: string | null;
}

/**
 * The columns of ChatViewRow; `c` is the conversation, `me` the caller's participant row
 * (absent for staff looking at a chat they are not in). Participants' names are read from
 * users here, as the send path does, so a page of chats is one statement.
 */
const CHAT_VIEW_COLUMNS = `
  c.id, c.kind, c.status, c.name, c.blocked_by_id AS "blockedById", c.last_message_id AS "lastMessageId",
  c.last_message_at AS "lastMessageAt", c.last_message_sender_id AS "lastMessageSenderId", c.member_count AS "memberCount",
  c.created_at AS "createdAt",
  COALESCE(${unreadOf('me')}, 0) AS unread,
  me.notifications_enabled,
  CASE WHEN c.kind IN ('direct', 'support') THEN
    (SELECT COALESCE(json_agg(json_build_object('id', u.id, 'first_name', u.first_name, 'last_name', u.last_name, 'role', u.role)
                              ORDER BY p.joined_at, p.user_id), '[]'::json)
       FROM conversation_participants p JOIN users u ON u.id = p.user_id
      WHERE p.conversation_id = c.id AND p.left_at IS NULL) END AS members,
  (SELECT lm.body FROM messages lm WHERE lm.id = c.last_message_id) AS last_body`;

/** $1 the caller's user id, $2 conversation ids. */
export const CHAT_VIEWS_SQL = `
SELECT ${CHAT_VIEW_COLUMNS}
  FROM conversations c
  LEFT JOIN conversation_participants me ON me.conversation_id = c.id AND me.user_id = $1
 WHERE c.id = ANY($2::uuid[])`;

/**
 * The caller's chats: $1 user id, $2 kind or null, $3 status or null (then any but deleted),
 * $4 ILIKE pattern on the name or null, $5 created on or after or null, $6 created before
 * or null, then (in the page statements) $7 page size and $8 offset.
 */
const MY_CHATS = `
  FROM conversation_participants me JOIN conversations c ON c.id = me.conversation_id
 WHERE me.user_id = $1 AND me.left_at IS NULL
   AND ($2::text IS NULL OR c.kind = $2)
   AND (CASE WHEN $3::text IS NULL THEN c.status <> 'deleted' ELSE c.status = $3 END)
   AND ($4::text IS NULL OR c.name ILIKE $4)
   AND ($5::timestamptz IS NULL OR c.created_at >= $5)
   AND ($6::timestamptz IS NULL OR c.created_at < $6)`;

/** The columns a chat list may be sorted by (CHATS_ORDERING's fields). */
export type ChatSortField = 'last_message_at' | 'created_at';
const SORT_COLUMNS: ReadonlyArray<[ChatSortField, string]> = [
  ['last_message_at', 'c.activity_at'],
  ['created_at', 'c.created_at'],
];

/** A page of the caller's chats with the total, one named statement per sort column and direction. */
const CHAT_PAGE_STATEMENTS = new Map(
  SORT_COLUMNS.flatMap(([field, column]) =>
    (['ASC', 'DESC'] as const).map((direction) => [
      `${field} ${direction}`,
      {
        name: `chat_page_${field}_${direction}`,
        text: `SELECT ${CHAT_VIEW_COLUMNS}, count(*) OVER ()::int AS total${MY_CHATS}
        ORDER BY ${column} ${direction}, c.id ${direction}
        LIMIT $7 OFFSET $8`,
      },
    ]),
  ),
);

export const chatPageStatement = (field: ChatSortField, direction: 'ASC' | 'DESC'): { name: string; text: string } =>
  CHAT_PAGE_STATEMENTS.get(`${field} ${direction}`)!;

/** The total for a page past the end; $1–$6 as above. */
export const CHAT_COUNT_SQL = `SELECT count(*)::int AS total${MY_CHATS}`;
