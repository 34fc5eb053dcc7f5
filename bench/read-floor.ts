/**
 * The floor of the read benchmark (`bench/read.ts`): a minimal hand-written server doing
 * the essential work of Haven's four hottest reads, and nothing else — verify the HS256
 * access token (signature, algorithm, issuer, audience, expiry, claims), check session and
 * user in one row, check access, read the rows, decrypt what Haven decrypts, send JSON.
 * Plus `GET /hello`, a bare Fastify route for reference. Run as its own process, like Haven.
 *
 * Environment: the bench's DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY (the same as Haven's), PORT.
 */
import Fastify, { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Pool } from 'pg';
import { loadConfig } from 'src/config/app-config';
import { FieldCipher } from 'src/infrastructure/crypto/field-encryption';

const config = loadConfig(process.env);
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const cipher = new FieldCipher(config.encryption.current, config.encryption.previous);
const secret = Buffer.from(config.auth.jwt.secret, 'utf8');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREVIEW_LENGTH = 120;

class Refused extends Error {
  constructor(readonly status: number) {
    super(String(status));
  }
}

/** The claims of a valid access token, checked by hand. */
function verifyAccess(header: string | undefined): { sub: string; sid: string } {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) throw new Refused(401);
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Refused(401);
  if ((JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string }).alg !== 'HS256') throw new Refused(401);
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const valid =
    Number.isInteger(claims.exp) && (claims.exp as number) > now && Number.isInteger(claims.iat) &&
    claims.iss === config.auth.jwt.issuer && claims.aud === config.auth.jwt.audience && claims.typ === 'access' &&
    typeof claims.sub === 'string' && UUID.test(claims.sub) && typeof claims.sid === 'string' && UUID.test(claims.sid);
  if (!valid) throw new Refused(401);
  return { sub: claims.sub as string, sid: claims.sid as string };
}

interface UserRow {
  id: string;
  username: string | null;
  first_name: string;
  last_name: string;
  role: string;
  is_verified: boolean;
  email: string;
  status: string;
  personality_data: unknown;
  two_factor_enabled: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
}

/** Token, then session and user in one row: live session, active account. */
async function authenticate(request: FastifyRequest): Promise<UserRow> {
  const { sub, sid } = verifyAccess(request.headers.authorization);
  const { rows } = await pool.query<UserRow & { revoked_at: Date | null; expires_at: Date }>({
    name: 'floor_session',
    text: `SELECT u.id, u.username, u.first_name, u.last_name, u.role, u.is_verified, u.email, u.status, u.personality_data,
                  u.two_factor_enabled, u.created_at, u.updated_at, u.last_login_at, s.revoked_at, s.expires_at
             FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.user_id = $2`,
    values: [sid, sub],
  });
  const row = rows[0];
  if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now() || row.status !== 'active') throw new Refused(401);
  return row;
}

function route(handler: (request: FastifyRequest, user: UserRow) => Promise<unknown>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    try {
      return await handler(request, await authenticate(request));
    } catch (error) {
      if (error instanceof Refused) return reply.code(error.status).send({ code: 'REFUSED' });
      throw error;
    }
  };
}

const app = Fastify({ logger: false });

app.get('/hello', async () => ({ hello: 'world' }));

app.get(
  '/api/v1/users/me',
  route(async (_request, u) => ({
    data: {
      id: u.id,
      username: u.username,
      first_name: u.first_name,
      last_name: u.last_name,
      role: u.role,
      is_verified: u.is_verified,
      email: u.email,
      status: u.status,
      personality_data: u.personality_data,
      two_factor_enabled: u.two_factor_enabled,
      subscription_status: 'none',
      created_at: u.created_at.toISOString(),
      updated_at: u.updated_at.toISOString(),
      last_login_at: u.last_login_at?.toISOString() ?? null,
    },
  })),
);

interface ChatRow {
  id: string;
  kind: string;
  status: string;
  name: string | null;
  last_message_id: string | null;
  last_message_at: Date | null;
  last_message_sender_id: string | null;
  last_body: string | null;
  blocked_by_id: string | null;
  member_count: number;
  created_at: Date;
  notifications_enabled: boolean;
  unread: number;
  participants: unknown[] | null;
  total: number;
}

app.get(
  '/api/v1/chats',
  route(async (_request, u) => {
    const { rows } = await pool.query<ChatRow>({
      name: 'floor_chats',
      text: `SELECT c.id, c.kind, c.status, c.name, c.last_message_id, c.last_message_at, c.last_message_sender_id, c.blocked_by_id,
                    c.member_count, c.created_at, me.notifications_enabled, count(*) OVER ()::int AS total,
                    (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id AND m.seq > me.last_read_seq
                        AND m.deleted = false AND m.sender_id IS DISTINCT FROM me.user_id) AS unread,
                    (SELECT lm.body FROM messages lm WHERE lm.id = c.last_message_id) AS last_body,
                    CASE WHEN c.kind IN ('direct', 'support') THEN
                      (SELECT json_agg(json_build_object('id', pu.id, 'first_name', pu.first_name, 'last_name', pu.last_name, 'role', pu.role))
                         FROM conversation_participants pp JOIN users pu ON pu.id = pp.user_id
                        WHERE pp.conversation_id = c.id AND pp.left_at IS NULL) END AS participants
               FROM conversation_participants me JOIN conversations c ON c.id = me.conversation_id
              WHERE me.user_id = $1 AND me.left_at IS NULL AND c.status <> 'deleted'
              ORDER BY c.activity_at DESC, c.id DESC LIMIT 20`,
      values: [u.id],
    });
    const data = rows.map((c) => {
      const text = c.last_body && c.last_message_id ? cipher.decrypt(c.last_body, `message:${c.last_message_id}`) : null;
      return {
        id: c.id,
        kind: c.kind,
        status: c.status,
        name: c.name,
        participants: c.participants ?? [],
        unread_count: c.unread,
        notifications_enabled: c.notifications_enabled,
        last_message: c.last_message_at
          ? { text: text && text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text, timestamp: c.last_message_at.toISOString(), sender_id: c.last_message_sender_id }
          : null,
        blocked_by: c.blocked_by_id,
        member_count: c.member_count,
        created_at: c.created_at.toISOString(),
      };
    });
    const count = rows[0]?.total ?? 0;
    return { data, pagination: { count, page: 1, page_size: 20, total_pages: Math.ceil(count / 20) } };
  }),
);

interface MessageRow {
  id: string;
  conversation_id: string;
  seq: string;
  sender_id: string | null;
  type: string;
  body: string | null;
  reply_to_id: string | null;
  emergency: boolean;
  edited: boolean;
  edited_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  read_by_id: string | null;
  client_message_id: string | null;
  created_at: Date;
  reactions: Array<{ emoji: string; user_id: string }> | null;
}

app.get(
  '/api/v1/chats/:id/messages',
  route(async (request, u) => {
    const { id } = request.params as { id: string };
    const limit = Math.min(100, Number((request.query as { limit?: string }).limit ?? 50));
    if (!UUID.test(id)) throw new Refused(400);
    // Access: a current participant whose room (if any) lets their side see the history.
    const access = await pool.query({
      name: 'floor_access',
      text: `SELECT 1 FROM conversation_participants p LEFT JOIN chat_rooms r ON r.conversation_id = p.conversation_id
              WHERE p.conversation_id = $1 AND p.user_id = $2 AND p.left_at IS NULL
                AND (r.conversation_id IS NULL OR CASE WHEN p.role = 'patient' THEN r.patient_can_see_history ELSE r.therapist_can_see_history END)`,
      values: [id, u.id],
    });
    if (access.rowCount === 0) throw new Refused(404);
    const { rows } = await pool.query<MessageRow>({
      name: 'floor_history',
      text: `SELECT m.id, m.conversation_id, m.seq, m.sender_id, m.type, m.body, m.reply_to_id, m.emergency, m.edited, m.edited_at,
                    m.delivered_at, m.read_at, m.read_by_id, m.client_message_id, m.created_at,
                    (SELECT json_agg(json_build_object('emoji', r.emoji, 'user_id', r.user_id) ORDER BY r.created_at)
                       FROM message_reactions r WHERE r.message_id = m.id) AS reactions
               FROM messages m WHERE m.conversation_id = $1 AND m.deleted = false ORDER BY m.seq DESC LIMIT $2`,
      values: [id, limit + 1],
    });
    const page = rows.slice(0, limit);
    const data = page.map((m) => ({
      id: m.id,
      chat_id: m.conversation_id,
      seq: Number(m.seq),
      sender_id: m.sender_id,
      message_type: m.type,
      text: m.body ? cipher.decrypt(m.body, `message:${m.id}`) : null,
      reply_to: m.reply_to_id,
      attachment: null,
      emergency: m.emergency,
      read_status: m.read_at ? 'read' : m.delivered_at ? 'delivered' : 'sent',
      delivered_at: m.delivered_at?.toISOString() ?? null,
      read_at: m.read_at?.toISOString() ?? null,
      read_by: m.read_by_id,
      edited: m.edited,
      edited_at: m.edited_at?.toISOString() ?? null,
      deleted: false,
      reactions: m.reactions ?? [],
      client_message_id: m.client_message_id,
      created_at: m.created_at.toISOString(),
    }));
    return { data, cursor: { has_more: rows.length > limit, before: page.at(-1)?.id ?? null, after: page[0]?.id ?? null } };
  }),
);

interface NotificationRow {
  id: string;
  title: string;
  message: string;
  notification_type: string;
  related_id: string | null;
  count: number;
  read: boolean;
  created_at: Date;
  total: number;
}

app.get(
  '/api/v1/notifications',
  route(async (request, u) => {
    const unread = (request.query as { unread?: string }).unread === 'true';
    const { rows } = await pool.query<NotificationRow>({
      name: 'floor_notifications',
      text: `SELECT id, title, message, notification_type, related_id, count, read, created_at, count(*) OVER ()::int AS total
               FROM notifications WHERE user_id = $1 AND read = NOT $2 ORDER BY created_at DESC, id DESC LIMIT 20`,
      values: [u.id, unread],
    });
    const count = rows[0]?.total ?? 0;
    return {
      data: rows.map((n) => ({ id: n.id, title: n.title, message: n.message, notification_type: n.notification_type, related_id: n.related_id, count: n.count, read: n.read, created_at: n.created_at.toISOString() })),
      pagination: { count, page: 1, page_size: 20, total_pages: Math.ceil(count / 20) },
    };
  }),
);

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(
  () => process.send?.('ready'),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
process.on('SIGTERM', () => {
  void app.close().then(() => pool.end()).then(() => process.exit(0));
});
