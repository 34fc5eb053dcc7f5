/**
 * The notifications list (polled by every app) as named prepared statements returning plain
 * rows with the entity's property names: one statement per sort direction, each filter a
 * parameter that is null when not asked for, and the total in the same statement.
 */
import type { NotificationFields } from './notifications.service';

export type NotificationRow = NotificationFields & { total: number };

/**
 * $1 user, $2 read (bool) or null, $3 type or null, $4 only newer than this notification
 * (id) or null, $5 ILIKE pattern on title or message or null, $6 created on or after or
 * null, $7 created before or null, $8 page size, $9 offset.
 */
const FILTERS = `
 WHERE n.user_id = $1
   AND ($2::bool IS NULL OR n.read = $2)
   AND ($3::text IS NULL OR n.notification_type = $3)
   AND ($4::uuid IS NULL OR (n.created_at, n.id) > (SELECT l.created_at, l.id FROM notifications l WHERE l.id = $4))
   AND ($5::text IS NULL OR n.title ILIKE $5 OR n.message ILIKE $5)
   AND ($6::timestamptz IS NULL OR n.created_at >= $6)
   AND ($7::timestamptz IS NULL OR n.created_at < $7)`;

const listPage = (direction: 'ASC' | 'DESC'): string => `
SELECT n.id, n.user_id AS "userId", n.title, n.message, n.notification_type AS "notificationType", n.related_id AS "relatedId",
       n.count, n.read, n.created_at AS "createdAt", count(*) OVER ()::int AS total
  FROM notifications n${FILTERS}
 ORDER BY n.created_at ${direction}, n.id ${direction}
 LIMIT $8 OFFSET $9`;

export const NOTIFICATIONS_PAGE_SQL = { ASC: listPage('ASC'), DESC: listPage('DESC') } as const;

/** The total for a page past the end (no row there to carry it); $1–$7 as above. */
export const NOTIFICATIONS_COUNT_SQL = `SELECT count(*)::int AS total FROM notifications n${FILTERS}`;

/** $1 notification id, $2 user: whether that notification is theirs. */
export const OWN_NOTIFICATION_SQL = 'SELECT 1 AS own FROM notifications WHERE id = $1 AND user_id = $2';

/** $1 user. */
export const UNREAD_COUNT_SQL = 'SELECT count(*)::int AS count FROM notifications WHERE user_id = $1 AND read = false';
