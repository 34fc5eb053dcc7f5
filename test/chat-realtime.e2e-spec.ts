import { Role } from 'src/common/access/permissions';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { chatCast, ChatCast, openChat, sendText } from './support/chat';
import { collect, connectError, connectSocket, emitAck, nextEvent } from './support/sockets';
import { createTestConfig, usingRedis } from './support/test-env';
import { buildScripts } from './support/scripts';
import { HttpClient, startTestApp, TestApp } from './support/test-app';
import { loginAs, registerUser } from './support/users';
import { sleep, waitFor } from './support/wait';
import { freePort } from './support/ports';


describe('chat over Socket.IO', () => {
  let api: TestApp;
  let cast: ChatCast;
  let chatId: string;
  const sockets: Socket[] = [];
  const connect = async (token: string): Promise<Socket> => {
    const socket = await connectSocket(api.url, token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    api = await startTestApp();
    cast = await chatCast(api);
    chatId = await openChat(api, cast.patient, cast.therapist);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await api?.close();
  });

  it('refuses a handshake without valid credentials, with the HTTP error code', async () => {
    expect((await connectError(api.url, undefined)).data?.code).toBe('COMMON.UNAUTHENTICATED');
    expect((await connectError(api.url, 'not-a-jwt')).data?.code).toMatch(/^AUTH\./);
  });

  it('a message sent over REST reaches the other side over Socket.IO', async () => {
    const therapistSocket = await connect(cast.therapist.access);
    const received = nextEvent(therapistSocket, 'message', (m: any) => m.chat_id === chatId);
    const sent = await sendText(api, chatId, cast.patient, 'Hi from REST');
    const message = await received;
    expect(message).toMatchObject({ id: sent.id, text: 'Hi from REST', sender_id: cast.patient.id, seq: sent.seq });
  });

  it('a message sent over the socket is acknowledged with the stored message and listed over REST', async () => {
    const patientSocket = await connect(cast.patient.access);
    const therapistSocket = await connect(cast.therapist.access);
    const echo = collect(patientSocket, 'message');
    const received = nextEvent(therapistSocket, 'message', (m: any) => m.text === 'Hi from socket');
    const ack = await emitAck(patientSocket, 'message', { chat_id: chatId, text: 'Hi from socket' });
    expect(ack).toMatchObject({ ok: true, data: { chat_id: chatId, text: 'Hi from socket', sender_id: cast.patient.id } });
    expect((await received).id).toBe(ack.data.id);
    const listed = await api.get(`/api/v1/chats/${chatId}/messages?limit=1`, { token: cast.therapist.access });
    expect(listed.body.data[0].id).toBe(ack.data.id);
    await sleep(200);
    expect(echo.find((m: any) => m.id === ack.data.id)).toBeUndefined();
  });

  it('acknowledges bad events with the same error codes as HTTP', async () => {
    const socket = await connect(cast.patient.access);
    const invalid = await emitAck(socket, 'message', { chat_id: chatId, text: 'x', role: 'admin' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'COMMON.VALIDATION_FAILED', errors: { role: expect.any(Array) } } });
    const empty = await emitAck(socket, 'message', { chat_id: chatId, text: '' });
    expect(empty.error.code).toBe('CHAT.EMPTY_MESSAGE');
    const notObject = await emitAck(socket, 'message', 'hello');
    expect(notObject.error.code).toBe('COMMON.VALIDATION_FAILED');
  });

  it('typing, reactions, delivered and read receipts arrive, and unread counts follow', async () => {
    const patient = await connect(cast.patient.access);
    const therapist = await connect(cast.therapist.access);
    const typing = nextEvent(therapist, 'typing', (t: any) => t.chat_id === chatId);
    await emitAck(patient, 'typing', { chat_id: chatId, is_typing: true });
    expect(await typing).toEqual({ chat_id: chatId, user_id: cast.patient.id, is_typing: true });

    await api.post(`/api/v1/chats/${chatId}/read`, undefined, { token: cast.therapist.access });
    const ack = await emitAck(patient, 'message', { chat_id: chatId, text: 'Did you get this?' });
    const messageId = ack.data.id;
    expect((await api.get(`/api/v1/chats/${chatId}`, { token: cast.therapist.access })).body.data.unread_count).toBe(1);

    const delivered = nextEvent(patient, 'delivered', (r: any) => r.user_id === cast.therapist.id);
    const deliveredAck = await emitAck(therapist, 'delivered', { chat_id: chatId, message_id: messageId });
    expect(deliveredAck.ok).toBe(true);
    expect(await delivered).toMatchObject({ chat_id: chatId, up_to_seq: ack.data.seq });
    const afterDelivery = await api.get(`/api/v1/chats/${chatId}/messages/${messageId}`, { token: cast.patient.access });
    expect(afterDelivery.body.data).toMatchObject({ read_status: 'delivered', delivered_at: expect.any(String), read_at: null });

    const reaction = nextEvent(patient, 'reaction', (r: any) => r.message_id === messageId);
    await emitAck(therapist, 'reaction', { chat_id: chatId, message_id: messageId, emoji: '👍' });
    expect(await reaction).toMatchObject({ user_id: cast.therapist.id, emoji: '👍', action: 'added' });

    const read = nextEvent(patient, 'read', (r: any) => r.user_id === cast.therapist.id);
    const readAck = await emitAck(therapist, 'read', { chat_id: chatId, message_id: messageId });
    expect(readAck.data.unread_count).toBe(0);
    expect(await read).toMatchObject({ chat_id: chatId, up_to_seq: ack.data.seq });
    const afterRead = await api.get(`/api/v1/chats/${chatId}/messages/${messageId}`, { token: cast.patient.access });
    expect(afterRead.body.data).toMatchObject({ read_status: 'read', read_by: cast.therapist.id });
    const preview = await api.get(`/api/v1/chats/${chatId}`, { token: cast.patient.access });
    expect(preview.body.data.last_message).toMatchObject({ text: 'Did you get this?', sender_id: cast.patient.id });
    expect((await api.get(`/api/v1/chats/${chatId}`, { token: cast.therapist.access })).body.data.unread_count).toBe(0);
  });

  it('edits and deletes are pushed', async () => {
    const patient = await connect(cast.patient.access);
    const therapist = await connect(cast.therapist.access);
    const { data: message } = await emitAck(patient, 'message', { chat_id: chatId, text: 'typo' });
    const edited = nextEvent(therapist, 'message_edited', (m: any) => m.id === message.id);
    await api.patch(`/api/v1/chats/${chatId}/messages/${message.id}`, { text: 'fixed' }, { token: cast.patient.access });
    expect((await edited).text).toBe('fixed');
    const deleted = nextEvent(therapist, 'message_deleted', (m: any) => m.id === message.id);
    await api.delete(`/api/v1/chats/${chatId}/messages/${message.id}`, { token: cast.patient.access });
    expect(await deleted).toMatchObject({ deleted: true, text: null });
  });

  it('a third user cannot join the room, send, or see typing there', async () => {
    const stranger = await connect(cast.stranger.access);
    const seen = collect(stranger, 'message');
    const join = await emitAck(stranger, 'join', { chat_id: chatId });
    expect(join).toMatchObject({ ok: false, error: { code: 'CHAT.NOT_FOUND' } });
    const send = await emitAck(stranger, 'message', { chat_id: chatId, text: 'let me in' });
    expect(send.error.code).toBe('CHAT.NOT_FOUND');
    const typing = await emitAck(stranger, 'typing', { chat_id: chatId });
    expect(typing.error.code).toBe('CHAT.NOT_FOUND');
    await sendText(api, chatId, cast.therapist, 'not for strangers');
    await sleep(300);
    expect(seen).toEqual([]);
  });

  it('pushes notifications and presence', async () => {
    const patient = await connect(cast.patient.access);
    const notification = nextEvent(patient, 'notification', (n: any) => n.related_id === chatId);
    await sendText(api, chatId, cast.therapist, 'check in');
    expect(await notification).toMatchObject({ notification_type: 'message', related_id: chatId });
    const fresh = await registerUser(api);
    const adminChat = await openChat(api, cast.admin, fresh);
    const adminSocket = await connect(cast.admin.access);
    const presence = nextEvent(adminSocket, 'presence', (p: any) => p.user_id === fresh.id && p.online === true);
    const freshSocket = await connect(fresh.access);
    expect(await presence).toMatchObject({ online: true });
    const offline = nextEvent(adminSocket, 'presence', (p: any) => p.user_id === fresh.id && p.online === false);
    freshSocket.close();
    expect(await offline).toMatchObject({ online: false });
    expect(adminChat).toBeTruthy();
  });
});

describe('sockets of a revoked session', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ env: { SOCKET_REAUTH_SECONDS: '1' } });
  });
  afterAll(() => api?.close());

  it('are told and disconnected within SOCKET_REAUTH_SECONDS, and cannot reconnect', async () => {
    const user = await registerUser(api);
    const sockets = [await connectSocket(api.url, user.access), await connectSocket(api.url, user.access)];
    const ended = sockets.map((s) => nextEvent(s, 'session_ended', () => true, 5_000));
    const gone = sockets.map((s) => new Promise((resolve) => s.once('disconnect', resolve)));
    expect((await api.post('/api/v1/auth/logout', undefined, { token: user.access })).status).toBe(200);
    for (const event of await Promise.all(ended)) expect(event).toMatchObject({ code: 'AUTH.SESSION_REVOKED' });
    await Promise.all(gone);
    expect((await connectError(api.url, user.access)).data?.code).toBe('AUTH.SESSION_REVOKED');
  });
});

describe('support chat (user ↔ admin team)', () => {
  let api: TestApp;
  let cast: ChatCast;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApp();
    cast = await chatCast(api);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await api?.close();
  });

  it('tells the client its conversation and how to connect', async () => {
    const res = await api.get('/api/v1/support/chat', { token: cast.patient.access });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      chat_id: expect.any(String),
      user_id: cast.patient.id,
      is_admin: false,
      socket: { path: '/socket.io', namespace: '/', auth_field: 'token' },
    });
    expect(res.body.data.websocket_url).toMatch(/^ws:\/\//);
    const again = await api.get('/api/v1/support/chat', { token: cast.patient.access });
    expect(again.body.data.chat_id).toBe(res.body.data.chat_id);
  });

  it('admin sees the user connect, receives their message, replies, and the user receives it', async () => {
    const admin = await connectSocket(api.url, cast.admin.access);
    sockets.push(admin);
    const connected = nextEvent(admin, 'user_connected', (e: any) => e.user_id === cast.patient.id);
    const user = await connectSocket(api.url, cast.patient.access);
    sockets.push(user);
    expect(await connected).toMatchObject({ event: 'user_connected', user_id: cast.patient.id });

    const incoming = nextEvent(admin, 'chat_message', (e: any) => e.user_id === cast.patient.id && !e.from_admin);
    const ack = await emitAck(user, 'chat_message', { message: 'I need help with the app' });
    expect(ack.ok).toBe(true);
    expect(await incoming).toMatchObject({ event: 'chat_message', message: 'I need help with the app', identifier: cast.patient.id, from_admin: false });

    const reply = nextEvent(user, 'chat_message', (e: any) => e.from_admin === true);
    const replyAck = await emitAck(admin, 'chat_message', { message: 'How can I help?', user_id: cast.patient.id });
    expect(replyAck.ok).toBe(true);
    expect(await reply).toMatchObject({ message: 'How can I help?', user_id: cast.patient.id, from_admin: true });

    const list = await api.get('/api/v1/support/conversations', { token: cast.admin.access });
    expect(list.body.data.find((c: any) => c.user.id === cast.patient.id)).toMatchObject({ online: true });
    const audit = await api.get('/api/v1/admin/audit-log?action=chat.messages_read_by_staff', { token: cast.admin.access });
    const before = audit.body.pagination.count;
    const chatId = ack.data.chat_id;
    const history = await api.get(`/api/v1/chats/${chatId}/messages`, { token: cast.admin.access });
    expect(history.body.data.map((m: any) => m.text)).toEqual(['How can I help?', 'I need help with the app']);
    const after = await api.get('/api/v1/admin/audit-log?action=chat.messages_read_by_staff', { token: cast.admin.access });
    expect(after.body.pagination.count).toBe(before + 1);

    const disconnected = nextEvent(admin, 'user_disconnected', (e: any) => e.user_id === cast.patient.id);
    user.close();
    expect(await disconnected).toMatchObject({ event: 'user_disconnected' });
  });

  it('staff join a support chat by answering it, but not one that is blocked', async () => {
    const client = await registerUser(api, { role: Role.Client });
    const chatId = (await api.get('/api/v1/support/chat', { token: client.access })).body.data.chat_id;
    const db = api.resolve(DataSource);
    const staffRows = (): Promise<Array<{ n: number }>> =>
      db.query('SELECT count(*)::int AS n FROM conversation_participants WHERE conversation_id = $1 AND user_id = $2', [chatId, cast.admin.id]);
    await db.query(`UPDATE conversations SET status = 'blocked' WHERE id = $1`, [chatId]);
    const refused = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'hello from the team' }, { token: cast.admin.access });
    expect([refused.status, refused.body.code]).toEqual([403, 'CHAT.BLOCKED']);
    expect((await staffRows())[0].n).toBe(0);
    await db.query(`UPDATE conversations SET status = 'active' WHERE id = $1`, [chatId]);
    const answered = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'hello from the team' }, { token: cast.admin.access });
    expect(answered.status).toBe(201);
    expect((await staffRows())[0].n).toBe(1);
    const stranger = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'me too' }, { token: cast.stranger.access });
    expect([stranger.status, stranger.body.code]).toEqual([404, 'CHAT.NOT_FOUND']);
  });

  it('another client cannot read the first client’s support conversation', async () => {
    const mine = await api.get('/api/v1/support/chat', { token: cast.patient.access });
    const chatId = mine.body.data.chat_id;
    expect((await api.get(`/api/v1/chats/${chatId}/messages`, { token: cast.stranger.access })).status).toBe(404);
    expect((await api.get('/api/v1/support/conversations', { token: cast.stranger.access })).status).toBe(403);
    const strangerSocket = await connectSocket(api.url, cast.stranger.access);
    sockets.push(strangerSocket);
    const spoof = await emitAck(strangerSocket, 'chat_message', { message: 'hi', user_id: cast.patient.id });
    expect(spoof).toMatchObject({ ok: false, error: { code: 'COMMON.FORBIDDEN' } });
  });
});

// Fan-out across nodes needs the shared Redis; the zero-setup shape is one node by design.
if (usingRedis) {
  describe('two API processes sharing PostgreSQL and Redis', () => {
    let nodeA: TestApp;
    let nodeB: HttpClient;
    let processB: ChildProcess;
    let build: ReturnType<typeof buildScripts>;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      // Both nodes must share the secrets, as production nodes do.
      const secrets = { JWT_SECRET: randomBytes(48).toString('base64'), ENCRYPTION_KEY: randomBytes(32).toString('base64') };
      const config = await createTestConfig({ env: secrets });
      if (config.database.kind !== 'postgres' || !config.redis) throw new Error('needs the test PostgreSQL and Redis');
      nodeA = await startTestApp({ config });
      build = buildScripts();
      const port = await freePort();
      processB = spawn(process.execPath, [`${build.dir}/src/main.js`], {
        env: {
          PATH: process.env.PATH ?? '',
          ...secrets,
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATABASE_URL: config.database.url,
          REDIS_URL: config.redis.url,
          REDIS_PREFIX: config.redis.prefix,
          DATA_DIR: 'memory://',
          RATE_LIMIT_ENABLED: 'false',
        },
        stdio: 'ignore',
      });
      nodeB = new HttpClient(`http://127.0.0.1:${port}`);
      await waitFor(async () => (await nodeB.get('/health').catch(() => ({ status: 0 }))).status === 200, 'the second API process', 30_000, 200);
    });
    afterAll(async () => {
      for (const s of sockets) s.close();
      processB?.kill('SIGTERM');
      await new Promise((r) => (processB && processB.exitCode === null ? processB.once('exit', r) : r(null)));
      build?.remove();
      await nodeA?.close();
    });

    it('a user connected to one process receives a message sent through the other', async () => {
      const cast = await chatCast(nodeA);
      const chatId = await openChat(nodeA, cast.patient, cast.therapist);
      const therapistOnA = await connectSocket(nodeA.url, cast.therapist.access);
      sockets.push(therapistOnA);
      const received = nextEvent(therapistOnA, 'message', (m: any) => m.chat_id === chatId);
      const sent = await sendText(nodeB, chatId, cast.patient, 'through process B');
      expect(await received).toMatchObject({ id: sent.id, text: 'through process B' });
      const patientOnB = await connectSocket(nodeB.url, cast.patient.access);
      sockets.push(patientOnB);
      const back = nextEvent(patientOnB, 'message', (m: any) => m.text === 'reply via A');
      const ack = await emitAck(therapistOnA, 'message', { chat_id: chatId, text: 'reply via A' });
      expect((await back).id).toBe(ack.data.id);
      const rows = await nodeA.resolve(DataSource).query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [chatId]);
      expect(rows[0].n).toBe(2);
    });

    it('suspending an account or ending a session through one process disconnects its sockets on the other at once', async () => {
      // SOCKET_REAUTH_SECONDS is 30 on both: a disconnect within 2 s is the revocation published across nodes.
      const cast = await chatCast(nodeA);
      const second = await loginAs(nodeA, cast.stranger.email, cast.stranger.password);
      const endedSession = await connectSocket(nodeB.url, cast.stranger.access);
      const otherSession = await connectSocket(nodeB.url, second.access);
      const suspended = await connectSocket(nodeB.url, cast.patient.access);
      sockets.push(endedSession, otherSession, suspended);
      const told = nextEvent(endedSession, 'session_ended', () => true, 2_000);
      expect((await nodeA.post('/api/v1/auth/logout', undefined, { token: cast.stranger.access })).status).toBe(200);
      expect(await told).toMatchObject({ code: 'AUTH.SESSION_REVOKED' });
      await waitFor(async () => !endedSession.connected, 'the ended session’s socket on process B to close', 2_000);
      const toldSuspended = nextEvent(suspended, 'session_ended', () => true, 2_000);
      expect((await nodeA.patch(`/api/v1/admin/users/${cast.patient.id}`, { status: 'suspended' }, { token: cast.admin.access })).status).toBe(200);
      expect(await toldSuspended).toMatchObject({ code: 'AUTH.ACCOUNT_SUSPENDED' });
      await waitFor(async () => !suspended.connected, 'the suspended user’s socket on process B to close', 2_000);
      expect(otherSession.connected).toBe(true);
    });

    it('a socket open on one process gets the first message of a chat just created through the other', async () => {
      // Process B is paused while the chat is created through A: A may only answer once B
      // has joined the therapist's socket to the new room and listens on its channel, or
      // the first message (sent right after) would pass B by.
      const cast = await chatCast(nodeA);
      const therapistOnB = await connectSocket(nodeB.url, cast.therapist.access);
      sockets.push(therapistOnB);
      const received = collect(therapistOnB, 'message');
      processB.kill('SIGSTOP');
      const resume = sleep(300).then(() => processB.kill('SIGCONT'));
      try {
        const chatId = await openChat(nodeA, cast.patient, cast.therapist);
        const sent = await sendText(nodeA, chatId, cast.patient, 'first words');
        await waitFor(async () => received.some((m: any) => m.id === sent.id) || undefined, 'the first message on process B', 5_000);
      } finally {
        await resume;
      }
    });
  });
}
