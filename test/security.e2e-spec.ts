import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { Role } from 'src/common/access/permissions';
import { chatCast, ChatCast, openChat, verifiedProvider } from './support/chat';
import { craftJwt, jwtClaims } from './support/jwt';
import { connectSocket, nextEvent } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, loginAs, registerUser } from './support/users';
import { sleep, waitFor } from './support/wait';

/**
 * Regression tests for the findings of the outside security probe (issue 8), one block
 * per finding. Each test owns its data.
 */

const openapi = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>>;
};

/** Every list endpoint (it takes `ordering`), from the committed OpenAPI document. */
const LIST_PATHS = Object.entries(openapi.paths)
  .filter(([, item]) => item.get?.parameters?.some((p) => p.name === 'ordering'))
  .map(([path]) => path);

const prototypeNames = (): string => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

describe('security regressions (issue 8)', () => {
  let api: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api?.close();
  });

  async function socketOf(token: string): Promise<Socket> {
    const socket = await connectSocket(api.url, token);
    sockets.push(socket);
    return socket;
  }

  describe('1. prototype pollution through ordering', () => {
    it('covers the list endpoints the probe named', () => {
      for (const path of ['/api/v1/auth/api-tokens', '/api/v1/auth/sessions', '/api/v1/notifications', '/api/v1/chats', '/api/v1/groups']) {
        expect(LIST_PATHS).toContain(path);
      }
    });

    it.each(['__proto__', 'constructor', 'toString', '-__proto__', '-constructor', 'hasOwnProperty'])(
      'ordering=%s is a 400 on every list endpoint, Object.prototype stays as it was, and the service goes on',
      async (ordering) => {
        const admin = await createUserWithRole(api, Role.Admin);
        const group = await api.post('/api/v1/groups', { name: `Ordering ${ordering}` }, { token: admin.access });
        const before = prototypeNames();
        for (const path of LIST_PATHS) {
          // Every path parameter gets a well-formed id (the group's): `ordering` is checked before any lookup.
          const url = `${path.replace(/\{[a-zA-Z_]+\}/g, group.body.data.id)}?ordering=${encodeURIComponent(ordering)}`;
          const res = await api.get(url, { token: admin.access });
          expect([url, res.status, res.body.code]).toEqual([url, 400, 'COMMON.VALIDATION_FAILED']);
          expect(res.body.errors.ordering).toHaveLength(1);
        }
        expect(prototypeNames()).toBe(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(({} as Record<string, unknown>)['t.id']).toBeUndefined();
        expect((await api.get('/api/v1/users/me', { token: admin.access })).status).toBe(200);
        expect((await api.get('/api/v1/auth/api-tokens?ordering=-created_at', { token: admin.access })).status).toBe(200);
      },
    );

    it('a prototype key as a query parameter, body field or socket field is refused', async () => {
      const user = await registerUser(api);
      const query = await api.get('/api/v1/notifications?__proto__[polluted]=yes&constructor[prototype][polluted]=yes', { token: user.access });
      expect(query.status).toBe(400);
      const body = await api.request('PATCH', '/api/v1/users/me', {
        rawBody: '{"first_name":"Ada","constructor":{"prototype":{"polluted":"yes"}}}',
        contentType: 'application/json',
        token: user.access,
      });
      expect(body.status).toBe(400);
      const socket = await socketOf(user.access);
      const ack = await socket.timeout(5_000).emitWithAck('typing', JSON.parse('{"chat_id":"00000000-0000-4000-8000-000000000000","__proto__":{"is_typing":false}}'));
      expect(ack).toMatchObject({ ok: false, error: { code: 'COMMON.VALIDATION_FAILED', errors: { __proto__: ['__proto__ is not an accepted field'] } } });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await api.get('/api/v1/users/me', { token: user.access })).body.data.first_name).toBe('Test');
    });
  });

  describe('2. client mistakes that were 500s', () => {
    const deep = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

    it.each(['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/auth/refresh'])('JSON nested 1,500 and 100,000 levels deep on %s is a 400 naming the field', async (path) => {
      for (const depth of [1_500, 100_000]) {
        const res = await api.request('POST', path, { rawBody: `{"email":"a@b.co","password":"x","refresh":${deep(depth)}}`, contentType: 'application/json' });
        expect([depth, res.status, res.body.code]).toEqual([depth, 400, 'COMMON.VALIDATION_FAILED']);
        expect(res.body.errors.refresh).toEqual([expect.stringContaining('nested too deeply')]);
      }
      const whole = await api.request('POST', path, { rawBody: deep(50_000), contentType: 'application/json' });
      expect(whole.status).toBe(400);
    });

    it('a NUL character anywhere it could reach PostgreSQL is a 400 naming the field, and nothing is written', async () => {
      const cast = await chatCast(api);
      const chatId = await openChat(api, cast.patient, cast.therapist);
      const cases: Array<[string, () => Promise<{ status: number; body: any }>]> = [
        ['search', () => api.get('/api/v1/notifications?search=%00', { token: cast.patient.access })],
        ['search', () => api.get('/api/v1/chats?search=a%00b', { token: cast.patient.access })],
        ['email', () => api.post('/api/v1/auth/login', { email: 'a\u0000@example.com', password: 'whatever-it-is' })],
        ['first_name', () => api.post('/api/v1/auth/register', { email: 'nul@example.com', password: 'quiet-harbour-lantern-77', first_name: 'A\u0000', last_name: 'B' })],
        ['last_name', () => api.patch('/api/v1/users/me', { last_name: '\u0000' }, { token: cast.patient.access })],
        ['name', () => api.post('/api/v1/groups', { name: 'Circle\u0000' }, { token: cast.therapist.access })],
        ['name', () => api.post('/api/v1/auth/api-tokens', { name: 'ci\u0000' }, { token: cast.patient.access })],
        ['description', () => api.patch(`/api/v1/chats/${chatId}/room`, { description: 'x\u0000y' }, { token: cast.therapist.access })],
        ['text', () => api.post(`/api/v1/chats/${chatId}/messages`, { text: 'hi\u0000' }, { token: cast.patient.access })],
        ['id', () => api.get('/api/v1/chats/%00', { token: cast.patient.access })],
      ];
      for (const [field, call] of cases) {
        const res = await call();
        expect([field, res.status]).toEqual([field, 400]);
        expect(res.body.errors[field]?.[0]).toMatch(/NUL|UUID/);
      }
      const upload = await api.request('POST', `/api/v1/chats/${chatId}/attachments`, {
        rawBody: '--b\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n\r\n--b--\r\n',
        contentType: 'multipart/form-data; boundary=b',
        token: cast.patient.access,
      });
      expect([upload.status, upload.body.errors?.file]).toEqual([400, ['the file name must not contain control characters']]);
      const db = api.resolve(DataSource);
      expect((await db.query(`SELECT count(*)::int AS n FROM users WHERE email = 'nul@example.com'`))[0].n).toBe(0);
      expect((await db.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [chatId]))[0].n).toBe(0);
      expect((await db.query('SELECT count(*)::int AS n FROM attachments WHERE conversation_id = $1', [chatId]))[0].n).toBe(0);
      expect((await api.get('/api/v1/auth/api-tokens', { token: cast.patient.access })).body.data).toEqual([]);
    });

    it('null for a field that cannot be null is a 400 naming it, and the room is unchanged', async () => {
      const cast = await chatCast(api);
      const chatId = await openChat(api, cast.patient, cast.therapist);
      const before = (await api.get(`/api/v1/chats/${chatId}/room`, { token: cast.therapist.access })).body.data;
      for (const [path, body, field] of [
        [`/api/v1/chats/${chatId}/room`, { tags: null }, 'tags'],
        [`/api/v1/chats/${chatId}/room`, { room_type: null }, 'room_type'],
        [`/api/v1/chats/${chatId}/room`, { description: null }, 'description'],
        [`/api/v1/chats/${chatId}/room/permissions`, { patient_can_see_history: null }, 'patient_can_see_history'],
        [`/api/v1/chats/${chatId}/messages`, { text: null }, 'text'],
      ] as const) {
        const res = await api.request(path.endsWith('/room') ? 'PATCH' : 'POST', path, { body, token: cast.therapist.access });
        expect([field, res.status, Object.keys(res.body.errors)]).toEqual([field, 400, [field]]);
      }
      expect((await api.get(`/api/v1/chats/${chatId}/room`, { token: cast.therapist.access })).body.data).toEqual(before);
    });

    it('a page number too large to page to is a 400 naming page (the fuzz found 1e308 reaching OFFSET)', async () => {
      const user = await registerUser(api);
      for (const page of ['1e308', '99999999999999999999999', '100001']) {
        const res = await api.get(`/api/v1/groups?page=${page}`, { token: user.access });
        expect([page, res.status, Object.keys(res.body.errors ?? {})]).toEqual([page, 400, ['page']]);
      }
      expect((await api.get('/api/v1/groups?page=100000', { token: user.access })).status).toBe(200);
    });

    it('a truncated or malformed multipart upload is a 400, and nothing is stored', async () => {
      const cast = await chatCast(api);
      const chatId = await openChat(api, cast.patient, cast.therapist);
      for (const rawBody of [
        '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 and then the connection',
        '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n',
        '--b\r\ngarbage without headers',
      ]) {
        const res = await api.request('POST', `/api/v1/chats/${chatId}/attachments`, { rawBody, contentType: 'multipart/form-data; boundary=b', token: cast.patient.access });
        expect([res.status, res.body.code]).toEqual([400, expect.stringMatching(/^COMMON\.(BAD_REQUEST|VALIDATION_FAILED)$/)]);
      }
      const rows = await api.resolve(DataSource).query('SELECT count(*)::int AS n FROM attachments WHERE conversation_id = $1', [chatId]);
      expect(rows[0].n).toBe(0);
    });
  });

  describe('4. unverified providers have no provider rights', () => {
    it('an unverified therapist cannot create a support group (AUTH.PROVIDER_NOT_VERIFIED); once verified they can', async () => {
      const admin = await createUserWithRole(api, Role.Admin);
      const therapist = await registerUser(api, { role: Role.Therapist });
      const refused = await api.post('/api/v1/groups', { name: 'Not yet' }, { token: therapist.access });
      expect([refused.status, refused.body.code]).toEqual([403, 'AUTH.PROVIDER_NOT_VERIFIED']);
      const listed = await api.get('/api/v1/groups?search=Not%20yet', { token: therapist.access });
      expect(listed.body.data).toEqual([]);
      await api.patch(`/api/v1/admin/users/${therapist.id}`, { is_verified: true }, { token: admin.access });
      expect((await api.post('/api/v1/groups', { name: 'Now verified' }, { token: therapist.access })).status).toBe(201);
    });

    it('a therapist whose verification is withdrawn loses moderation, room management and therapist-only messages', async () => {
      const cast: ChatCast = await chatCast(api);
      const chatId = await openChat(api, cast.patient, cast.therapist);
      const group = (await api.post('/api/v1/groups', { name: 'Moderated circle' }, { token: cast.therapist.access })).body.data;
      await api.post(`/api/v1/groups/${group.id}/join`, undefined, { token: cast.patient.access });
      await api.post(`/api/v1/groups/${group.id}/join`, undefined, { token: cast.stranger.access });
      // While verified: each right works.
      expect((await api.delete(`/api/v1/groups/${group.id}/members/${cast.stranger.id}`, { token: cast.therapist.access })).status).toBe(200);
      expect((await api.patch(`/api/v1/chats/${chatId}/room`, { description: 'weekly' }, { token: cast.therapist.access })).status).toBe(200);
      expect((await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'Tuesday 10:00', message_type: 'appointment' }, { token: cast.therapist.access })).status).toBe(201);

      await api.patch(`/api/v1/admin/users/${cast.therapist.id}`, { is_verified: false }, { token: cast.admin.access });
      const remove = await api.delete(`/api/v1/groups/${group.id}/members/${cast.patient.id}`, { token: cast.therapist.access });
      expect([remove.status, remove.body.code]).toEqual([403, 'GROUPS.NOT_MODERATOR']);
      const room = await api.patch(`/api/v1/chats/${chatId}/room`, { description: 'changed' }, { token: cast.therapist.access });
      expect([room.status, room.body.code]).toEqual([403, 'CHAT.ROOM_MANAGE_FORBIDDEN']);
      const permissions = await api.post(`/api/v1/chats/${chatId}/room/permissions`, { patient_can_send: false }, { token: cast.therapist.access });
      expect(permissions.status).toBe(403);
      const typed = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'Rx', message_type: 'prescription' }, { token: cast.therapist.access });
      expect([typed.status, typed.body.code]).toEqual([403, 'CHAT.TYPE_NOT_ALLOWED']);
      const create = await api.post('/api/v1/groups', { name: 'Another' }, { token: cast.therapist.access });
      expect([create.status, create.body.code]).toEqual([403, 'AUTH.PROVIDER_NOT_VERIFIED']);
      // Nothing changed: the patient is still a member, the room as it was.
      const members = await api.get(`/api/v1/groups/${group.id}/members`, { token: cast.patient.access });
      expect(members.body.data.map((m: { id: string }) => m.id)).toContain(cast.patient.id);
      expect((await api.get(`/api/v1/chats/${chatId}/room`, { token: cast.patient.access })).body.data.description).toBe('weekly');
    });
  });

  describe('5. what an API token may not do', () => {
    it('POST /auth/logout-all with an API token is refused (AUTH.SESSION_REQUIRED) and the sessions live on', async () => {
      const user = await registerUser(api);
      const token = (await api.post('/api/v1/auth/api-tokens', { name: 'script' }, { token: user.access })).body.data.token as string;
      const res = await api.post('/api/v1/auth/logout-all', undefined, { token: `Token ${token}` });
      expect([res.status, res.body.code]).toEqual([403, 'AUTH.SESSION_REQUIRED']);
      expect((await api.get('/api/v1/users/me', { token: user.access })).status).toBe(200);
    });

    it('a password change revokes every API token, and the owner is told by email', async () => {
      const user = await registerUser(api);
      const token = (await api.post('/api/v1/auth/api-tokens', { name: 'script' }, { token: user.access })).body.data.token as string;
      expect((await api.get('/api/v1/users/me', { token: `Token ${token}` })).status).toBe(200);
      const changed = await api.patch('/api/v1/users/me', { password: 'harbour-lantern-quiet-91', current_password: user.password }, { token: user.access });
      expect(changed.status).toBe(200);
      const after = await api.get('/api/v1/users/me', { token: `Token ${token}` });
      expect([after.status, after.body.code]).toEqual([401, 'AUTH.TOKEN_REVOKED']);
      expect((await api.get('/api/v1/users/me', { token: user.access })).status).toBe(200);
      const mail = await api.resolve(DataSource).query(`SELECT subject, text_body FROM mail_messages WHERE to_address = $1`, [user.email]);
      expect(mail).toEqual([{ subject: 'Your Haven password was changed', text_body: expect.stringContaining('1 API token was revoked') }]);
      const audit = await api.resolve(DataSource).query(`SELECT detail FROM audit_log WHERE action = 'auth.password_changed' AND target_id = $1`, [user.id]);
      expect(audit[0].detail).toMatchObject({ api_tokens_revoked: 1 });
    });
  });

  describe('6. sockets of ended credentials are disconnected at once', () => {
    // SOCKET_REAUTH_SECONDS is 30 here: a disconnect within 2 s is the published revocation, not the sweep.
    const within = 2_000;

    it('suspending an account disconnects its sockets with session_ended (AUTH.ACCOUNT_SUSPENDED)', async () => {
      const admin = await createUserWithRole(api, Role.Admin);
      const user = await registerUser(api);
      const socket = await socketOf(user.access);
      const ended = nextEvent(socket, 'session_ended', () => true, within);
      const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
      await api.patch(`/api/v1/admin/users/${user.id}`, { status: 'suspended' }, { token: admin.access });
      expect(await ended).toMatchObject({ code: 'AUTH.ACCOUNT_SUSPENDED' });
      await disconnected;
      expect(socket.connected).toBe(false);
    });

    it('logging out ends that session’s socket only; the same user’s other session keeps its socket', async () => {
      const user = await registerUser(api);
      const other = await loginAs(api, user.email, user.password);
      const mine = await socketOf(user.access);
      const theirs = await socketOf(other.access);
      const ended = nextEvent(mine, 'session_ended', () => true, within);
      expect((await api.post('/api/v1/auth/logout', undefined, { token: user.access })).status).toBe(200);
      expect(await ended).toMatchObject({ code: 'AUTH.SESSION_REVOKED' });
      await waitFor(async () => !mine.connected, 'the logged-out socket to close', within);
      await sleep(200);
      expect(theirs.connected).toBe(true);
    });

    it('revoking an API token, ending a session by id, a password change and account deletion each disconnect the right sockets', async () => {
      const user = await registerUser(api);
      const apiToken = (await api.post('/api/v1/auth/api-tokens', { name: 'bot' }, { token: user.access })).body.data;
      const tokenSocket = await socketOf(`Token ${apiToken.token}`);
      await api.delete(`/api/v1/auth/api-tokens/${apiToken.id}`, { token: user.access });
      await waitFor(async () => !tokenSocket.connected, 'the API token socket to close', within);

      const second = await loginAs(api, user.email, user.password);
      const secondSocket = await socketOf(second.access);
      const sessions = (await api.get('/api/v1/auth/sessions', { token: user.access })).body.data as Array<{ id: string; current: boolean }>;
      await api.delete(`/api/v1/auth/sessions/${sessions.find((s) => !s.current)!.id}`, { token: user.access });
      await waitFor(async () => !secondSocket.connected, 'the ended session’s socket to close', within);

      const third = await loginAs(api, user.email, user.password);
      const thirdSocket = await socketOf(third.access);
      const ownSocket = await socketOf(user.access);
      const password = 'lantern-quiet-harbour-55';
      await api.patch('/api/v1/users/me', { password, current_password: user.password }, { token: user.access });
      await waitFor(async () => !thirdSocket.connected, 'the other session’s socket to close after a password change', within);
      expect(ownSocket.connected).toBe(true);

      await api.request('DELETE', '/api/v1/users/me', { body: { password }, token: user.access });
      await waitFor(async () => !ownSocket.connected, 'the socket of a deleted account to close', within);
    });
  });

  describe('7. every JWT must carry exp, iat, sid, typ, iss and aud', () => {
    it.each(['exp', 'iat', 'sid', 'typ', 'iss', 'aud', 'sub'])('an access token without %s, signed with the real secret, is refused', async (claim) => {
      const user = await registerUser(api);
      const claims = jwtClaims(user.access);
      expect((await api.get('/api/v1/users/me', { token: craftJwt({ alg: 'HS256', typ: 'JWT' }, claims, api.config.auth.jwt.secret) })).status).toBe(200);
      const { [claim]: _dropped, ...rest } = claims;
      const res = await api.get('/api/v1/users/me', { token: craftJwt({ alg: 'HS256', typ: 'JWT' }, rest, api.config.auth.jwt.secret) });
      expect([claim, res.status, res.body.code]).toEqual([claim, 401, 'AUTH.INVALID_TOKEN']);
    });

    it('a refresh token without exp is refused too', async () => {
      const user = await registerUser(api);
      const { exp: _exp, ...rest } = jwtClaims(user.refresh);
      const res = await api.post('/api/v1/auth/refresh', { refresh: craftJwt({ alg: 'HS256', typ: 'JWT' }, rest, api.config.auth.jwt.secret) });
      expect([res.status, res.body.code]).toEqual([401, 'AUTH.INVALID_TOKEN']);
    });
  });

  it('a verified friend is a provider too (the rule is one rule for both provider roles)', async () => {
    const admin = await createUserWithRole(api, Role.Admin);
    const friend = await verifiedProvider(api, admin, Role.Friend);
    const unverified = await registerUser(api, { role: Role.Friend });
    const client = await registerUser(api);
    expect((await api.post('/api/v1/chats', { participant_id: friend.id }, { token: client.access })).status).toBe(200);
    const refused = await api.post('/api/v1/chats', { participant_id: unverified.id }, { token: client.access });
    expect([refused.status, refused.body.code]).toEqual([403, 'CHAT.PROVIDER_NOT_VERIFIED']);
  });
});
