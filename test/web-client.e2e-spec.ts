import 'reflect-metadata';
import { Socket } from 'socket.io-client';
import { Role } from 'src/common/access/permissions';
import { chatCast, openChat } from './support/chat';
import { connectSocket, emitAck } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser } from './support/users';

/**
 * What a first web client (a browser app behind fetch wrappers, a Django-style HumanLink
 * client) tripped over (issue 14, section 1). Each test owns its data.
 */
describe('web clients', () => {
  let api: TestApp;
  const sockets: Socket[] = [];
  const origin = 'https://app.example.org';

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api?.close();
  });

  describe('CORS', () => {
    it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])('a browser preflight for %s with Authorization, Content-Type and X-Request-Id is allowed', async (method) => {
      const res = await fetch(`${api.url}/api/v1/users/me`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,x-request-id' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')?.split(/,\s*/)).toContain(method);
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/)).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-request-id']));
    });

    it('an answer lets the page read X-Request-Id, Retry-After and the rate-limit headers', async () => {
      const res = await fetch(`${api.url}/health`, { headers: { origin } });
      expect(res.headers.get('access-control-expose-headers')?.toLowerCase().split(/,\s*/)).toEqual(
        expect.arrayContaining(['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']),
      );
    });
  });

  describe('bodies', () => {
    it('an empty body declared as JSON is no body (POST /notifications/read-all, a DELETE)', async () => {
      const user = await registerUser(api);
      const readAll = await api.request('POST', '/api/v1/notifications/read-all', { rawBody: '', contentType: 'application/json', token: user.access });
      expect(readAll.status).toBe(200);
      const token = (await api.post('/api/v1/auth/api-tokens', { name: 'to delete' }, { token: user.access })).body.data;
      const removed = await api.request('DELETE', `/api/v1/auth/api-tokens/${token.id}`, { rawBody: '', contentType: 'application/json', token: user.access });
      expect(removed.status).toBe(200);
      // A route that needs a body still says which fields are missing.
      const login = await api.request('POST', '/api/v1/auth/login', { rawBody: '  ', contentType: 'application/json' });
      expect([login.status, login.body.code]).toEqual([400, 'COMMON.VALIDATION_FAILED']);
    });

    it.each([
      ['text/plain', 'email=a@b.co'],
      ['application/x-www-form-urlencoded', 'email=a%40b.co&password=x'],
      ['application/xml', '<login/>'],
    ])('a %s body answers 415 in the error envelope', async (contentType, rawBody) => {
      const res = await api.request('POST', '/api/v1/auth/login', { rawBody, contentType });
      expect([res.status, res.body.code]).toEqual([415, 'COMMON.UNSUPPORTED_MEDIA_TYPE']);
    });
  });

  describe('validation messages', () => {
    it('one message per field, for the first rule that fails: "is required", "must be a string"', async () => {
      const res = await api.post('/api/v1/auth/register', { password: 12345, first_name: '' });
      expect(res.status).toBe(400);
      expect(res.body.errors.email).toEqual(['email is required']);
      expect(res.body.errors.last_name).toEqual(['last_name is required']);
      expect(res.body.errors.password).toEqual(['password must be a string']);
      for (const messages of Object.values(res.body.errors as Record<string, string[]>)) expect(messages).toHaveLength(1);
      const cast = await chatCast(api);
      const chatId = await openChat(api, cast.patient, cast.therapist);
      const text = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 42 }, { token: cast.patient.access });
      expect(text.body.errors).toEqual({ text: ['text must be a string'] });
      const unknown = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'hi', colour: 'red' }, { token: cast.patient.access });
      expect(unknown.body.errors).toEqual({ colour: ['colour is not an accepted field'] });
    });
  });

  describe('trailing slashes (HumanLink documents every path with one)', () => {
    it('answers both forms on API routes and the docs pages', async () => {
      const body = { email: `slash-${Date.now()}@example.com`, password: 'quiet-harbour-lantern-42', first_name: 'Slash', last_name: 'Client' };
      const registered = await api.post('/api/v1/auth/register/', body);
      expect(registered.status).toBe(201);
      const token = registered.body.data.access as string;
      expect((await api.get('/api/v1/users/me/', { token })).body.data.email).toBe(body.email);
      expect((await api.get('/api/v1/users/me', { token })).status).toBe(200);
      for (const page of ['/api/docs', '/api/docs/', '/api/redoc', '/api/redoc/', '/health/']) {
        expect([page, (await fetch(`${api.url}${page}`)).status]).toEqual([page, 200]);
      }
    });

    it('GET /api/v1/users/ lists every user for staff (HumanLink), and refuses clients', async () => {
      const manager = await createUserWithRole(api, Role.Manager);
      const client = await registerUser(api);
      const list = await api.get(`/api/v1/users/?search=${encodeURIComponent(client.email)}`, { token: manager.access });
      expect(list.status).toBe(200);
      expect(list.body.data.map((u: { id: string }) => u.id)).toEqual([client.id]);
      expect(list.body.pagination).toMatchObject({ count: 1, page: 1 });
      const refused = await api.get('/api/v1/users/', { token: client.access });
      expect([refused.status, refused.body.code]).toEqual([403, 'COMMON.FORBIDDEN']);
    });
  });

  describe('sockets', () => {
    it('an unknown event is answered with an error code instead of silence', async () => {
      const user = await registerUser(api);
      const socket = await connectSocket(api.url, user.access);
      sockets.push(socket);
      const ack = await emitAck(socket, 'send_mesage', { chat_id: 'x' });
      expect(ack).toMatchObject({ ok: false, error: { code: 'COMMON.UNKNOWN_EVENT', status: 400 } });
      // Known events still work on the same socket.
      expect(await emitAck(socket, 'leave', { chat_id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: true });
    });

    it('a support reply’s notification names the support team, not a person or "someone"', async () => {
      const admin = await createUserWithRole(api, Role.Admin);
      const user = await registerUser(api);
      const userSocket = await connectSocket(api.url, user.access);
      const adminSocket = await connectSocket(api.url, admin.access);
      sockets.push(userSocket, adminSocket);
      expect(await emitAck(userSocket, 'chat_message', { message: 'I cannot log my mood' })).toMatchObject({ ok: true });
      expect(await emitAck(adminSocket, 'chat_message', { message: 'Let us look at it together', user_id: user.id })).toMatchObject({ ok: true });
      const notifications = await api.get('/api/v1/notifications', { token: user.access });
      expect(notifications.body.data[0]).toMatchObject({ title: 'Support chat', message: 'You have a new message from the support team' });
    });
  });
});
