import type { Socket } from 'socket.io-client';
import { crisisReplyText } from 'src/modules/risk-flags/crisis-reply';
import { RiskFlagsService } from 'src/modules/risk-flags/risk-flags.service';
import { DataSource } from 'typeorm';
import { collect, connectSocket, emitAck, nextEvent } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser, TestUser } from './support/users';

/** The free plan's companion_daily_messages (seeded). */
const FREE_DAILY_MESSAGES = 20;
const CRISIS_TEXT = 'i took the whole bottle of pills an hour ago';

describe('AI companion (offline responder, no model configured)', () => {
  let api: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api?.close();
  });

  const sql = (text: string, values: unknown[] = []): Promise<any[]> => api.resolve(DataSource).query(text, values);
  const newConversation = async (user: TestUser, body: Record<string, unknown> = {}): Promise<string> => {
    const res = await api.post('/api/v1/companion/conversations', body, { token: user.access });
    expect(res.status).toBe(201);
    return res.body.data.id;
  };
  const send = (user: TestUser, conversationId: string, text: string) => api.post(`/api/v1/companion/conversations/${conversationId}/messages`, { text }, { token: user.access });
  const storedMessages = async (conversationId: string): Promise<number> => Number((await sql('SELECT count(*) AS n FROM companion_messages WHERE conversation_id = $1', [conversationId]))[0].n);
  const crisisText = async (user: TestUser, language: 'en' | 'ru'): Promise<string> => crisisReplyText(await api.resolve(RiskFlagsService).crisisSupport(user.id), language);

  it('creates, lists, reads and deletes conversations', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user, { title: 'Evening check-in' });
    await newConversation(user);
    const one = await api.get(`/api/v1/companion/conversations/${id}`, { token: user.access });
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id, title: 'Evening check-in', message_count: 0, last_message_at: null });
    const list = await api.get('/api/v1/companion/conversations?page_size=1', { token: user.access });
    expect(list.status).toBe(200);
    expect(list.body.pagination).toMatchObject({ count: 2, page_size: 1, total_pages: 2 });
    expect((await api.get('/api/v1/companion/conversations?ordering=title', { token: user.access })).status).toBe(400);
    const removed = await api.delete(`/api/v1/companion/conversations/${id}`, { token: user.access });
    expect(removed.status).toBe(200);
    expect((await api.get(`/api/v1/companion/conversations/${id}`, { token: user.access })).body.code).toBe('COMPANION.NOT_FOUND');
    expect((await api.get('/api/v1/companion/conversations', { token: user.access })).body.pagination.count).toBe(1);
  });

  it('the offline responder answers in English: a mirrored feeling, a technique, never a person or a clinician', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    const res = await send(user, id, 'I feel so anxious about tomorrow.');
    expect(res.status).toBe(201);
    const reply = res.body.data;
    expect(reply).toMatchObject({
      conversation_id: id,
      user_message: 'I feel so anxious about tomorrow.',
      source: 'offline',
      ai_sender: 'assistant',
      crisis: false,
      keywords_detected: [],
      user_message_id: expect.any(String),
      ai_message_id: expect.any(String),
      created_at: expect.any(String),
    });
    expect(reply.ai_response).toContain('anxious');
    expect(reply.ai_response).toMatch(/(automated|AI) companion/);
    expect(reply.ai_response).toMatch(/not a (person|human)/);
    expect(reply.ai_response).toMatch(/breath|grounding|5 things|friend|trust/i);

    const second = (await send(user, id, 'I feel so anxious about tomorrow.')).body.data;
    expect(second.ai_response).not.toBe(reply.ai_response);

    const history = await api.get(`/api/v1/companion/conversations/${id}/messages`, { token: user.access });
    expect(history.status).toBe(200);
    expect(history.body.data.map((m: any) => m.sender)).toEqual(['assistant', 'user', 'assistant', 'user']);
    expect(history.body.data[3]).toMatchObject({ id: reply.user_message_id, text: 'I feel so anxious about tomorrow.', source: null, crisis: false });
    expect(history.body.data[2]).toMatchObject({ id: reply.ai_message_id, text: reply.ai_response, source: 'offline' });
    expect((await api.get(`/api/v1/companion/conversations/${id}`, { token: user.access })).body.data.message_count).toBe(4);
  });

  it('answers in Russian when the user’s language is ru', async () => {
    const user = await registerUser(api);
    expect((await api.patch('/api/v1/users/me', { language: 'ru' }, { token: user.access })).status).toBe(200);
    const id = await newConversation(user);
    const res = await send(user, id, 'Мне очень тревожно и одиноко сегодня.');
    expect(res.status).toBe(201);
    expect(res.body.data.source).toBe('offline');
    expect(res.body.data.ai_response).toMatch(/тревогу/);
    expect(res.body.data.ai_response).toMatch(/не человек/);
    expect(res.body.data.ai_response).not.toMatch(/[a-z]{4,}/i);
  });

  it('pages the history by cursor, newest first', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    for (const text of ['one', 'two', 'three']) expect((await send(user, id, text)).status).toBe(201);
    const first = await api.get(`/api/v1/companion/conversations/${id}/messages?limit=2`, { token: user.access });
    expect(first.body.data.map((m: any) => m.sender)).toEqual(['assistant', 'user']);
    expect(first.body.data[1].text).toBe('three');
    expect(first.body.cursor.has_more).toBe(true);
    const older = await api.get(`/api/v1/companion/conversations/${id}/messages?limit=10&before=${first.body.cursor.before}`, { token: user.access });
    expect(older.body.data.filter((m: any) => m.sender === 'user').map((m: any) => m.text)).toEqual(['two', 'one']);
    expect(older.body.cursor.has_more).toBe(false);
    const newer = await api.get(`/api/v1/companion/conversations/${id}/messages?limit=2&after=${older.body.cursor.before}`, { token: user.access });
    expect(newer.body.data.map((m: any) => m.id)).toEqual(older.body.data.slice(-3, -1).map((m: any) => m.id));
    const both = await api.get(`/api/v1/companion/conversations/${id}/messages?before=${first.body.cursor.before}&after=${first.body.cursor.after}`, { token: user.access });
    expect(both.status).toBe(400);
    expect(both.body.errors.after).toBeDefined();
  });

  it('a crisis message gets the crisis resources first, whatever else is said', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    const res = await send(user, id, CRISIS_TEXT);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ crisis: true, source: 'offline' });
    expect(res.body.data.keywords_detected.length).toBeGreaterThan(0);
    const expected = await crisisText(user, 'en');
    expect(res.body.data.ai_response.startsWith(`${expected}\n\n`)).toBe(true);
    const [userRow] = await sql('SELECT crisis, keywords FROM companion_messages WHERE id = $1', [res.body.data.user_message_id]);
    expect(userRow).toMatchObject({ crisis: true, keywords: res.body.data.keywords_detected });
  });

  it('streams the reply over Socket.IO in order; the ack is the stored message', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    const socket = await connectSocket(api.url, user.access);
    sockets.push(socket);
    const chunks = collect<any>(socket, 'companion_reply_chunk');
    const done = nextEvent<any>(socket, 'companion_reply', (r) => r.conversation_id === id);
    const ack = await emitAck(socket, 'companion_send', { conversation_id: id, text: 'I am so tired of everything at work' });
    expect(ack).toMatchObject({ ok: true, data: { conversation_id: id, sender: 'user', text: 'I am so tired of everything at work', source: null } });
    const reply = await done;
    expect(reply).toMatchObject({ user_message_id: ack.data.id, source: 'offline', crisis: false });
    const mine = chunks.filter((c) => c.message_id === reply.ai_message_id);
    expect(mine.length).toBeGreaterThan(1);
    expect(mine.map((c) => c.index)).toEqual(mine.map((_, i) => i));
    expect(mine.map((c) => c.text).join('')).toBe(reply.ai_response);

    const crisisDone = nextEvent<any>(socket, 'companion_reply', (r) => r.crisis === true);
    const crisisAck = await emitAck(socket, 'companion_send', { conversation_id: id, text: CRISIS_TEXT });
    expect(crisisAck.ok).toBe(true);
    const crisisReply = await crisisDone;
    const first = chunks.find((c) => c.message_id === crisisReply.ai_message_id && c.index === 0);
    expect(first.text).toBe(await crisisText(user, 'en'));

    const invalid = await emitAck(socket, 'companion_send', { conversation_id: id, text: '', extra: 1 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'COMMON.VALIDATION_FAILED' } });
    expect(Object.keys(invalid.error.errors).sort()).toEqual(['extra', 'text']);
  });

  it('another user’s conversation is a 404 on every route that takes an id, over HTTP and the socket', async () => {
    const owner = await registerUser(api);
    const other = await registerUser(api);
    const id = await newConversation(owner);
    expect((await send(owner, id, 'hello')).status).toBe(201);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const target of [id, missing]) {
      const answers = [
        await api.get(`/api/v1/companion/conversations/${target}`, { token: other.access }),
        await api.get(`/api/v1/companion/conversations/${target}/messages`, { token: other.access }),
        await api.post(`/api/v1/companion/conversations/${target}/messages`, { text: 'hi' }, { token: other.access }),
        await api.delete(`/api/v1/companion/conversations/${target}`, { token: other.access }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.body.code).toBe('COMPANION.NOT_FOUND');
      }
    }
    const socket = await connectSocket(api.url, other.access);
    sockets.push(socket);
    expect(await emitAck(socket, 'companion_send', { conversation_id: id, text: 'hi' })).toMatchObject({ ok: false, error: { code: 'COMPANION.NOT_FOUND', status: 404 } });
    expect(await storedMessages(id)).toBe(2);
    expect((await api.get(`/api/v1/companion/conversations/${id}`, { token: owner.access })).status).toBe(200);
    // A message id of another conversation is not a cursor here.
    const mine = await newConversation(other);
    const foreignMessage = (await api.get(`/api/v1/companion/conversations/${id}/messages`, { token: owner.access })).body.data[0].id;
    expect((await api.get(`/api/v1/companion/conversations/${mine}/messages?before=${foreignMessage}`, { token: other.access })).body.code).toBe('COMPANION.NOT_FOUND');
  });

  it('refuses unknown fields, empty and oversized text, naming the field, and stores nothing', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    const cases: Array<[unknown, string]> = [
      [{ text: '' }, 'text'],
      [{ text: 'x'.repeat(4001) }, 'text'],
      [{}, 'text'],
      [{ text: 42 }, 'text'],
      [{ text: 'hi', role: 'system' }, 'role'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post(`/api/v1/companion/conversations/${id}/messages`, body, { token: user.access });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('COMMON.VALIDATION_FAILED');
      expect(Object.keys(res.body.errors)).toContain(field);
    }
    expect((await send(user, id, 'x'.repeat(4000))).status).toBe(201);
    expect(await storedMessages(id)).toBe(2);
    const [usage] = await sql('SELECT count FROM companion_usage WHERE user_id = $1', [user.id]);
    expect(usage.count).toBe(1);
    const badTitle = await api.post('/api/v1/companion/conversations', { title: 'x'.repeat(121) }, { token: user.access });
    expect(badTitle.status).toBe(400);
    expect(badTitle.body.errors.title).toBeDefined();
    expect((await api.post('/api/v1/companion/conversations', { title: 'ok', owner: user.id }, { token: user.access })).body.errors.owner).toBeDefined();
    expect((await api.get('/api/v1/companion/conversations/not-a-uuid', { token: user.access })).status).toBe(400);
    expect((await api.get('/api/v1/companion/conversations', {})).status).toBe(401);
  });

  it('keeps transcripts, titles and summaries encrypted at rest', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user, { title: 'My secret title' });
    const texts = ['Secret words about my brother.', 'More secret words.', 'Even more.', 'Again.', 'And again.', 'Once more.', 'Last one.'];
    for (const text of texts) expect((await send(user, id, text)).status).toBe(201);
    const rows = await sql('SELECT text FROM companion_messages WHERE conversation_id = $1', [id]);
    expect(rows).toHaveLength(texts.length * 2);
    for (const row of rows) {
      expect(row.text).toMatch(/^enc1\./);
      expect(row.text).not.toMatch(/secret|anxious|companion/i);
    }
    const [conversation] = await sql('SELECT title, summary FROM companion_conversations WHERE id = $1', [id]);
    expect(conversation.title).toMatch(/^enc1\./);
    // The default window is 12 messages: 14 stored, the first turns are summarised.
    expect(conversation.summary).toMatch(/^enc1\./);
    expect(JSON.stringify(conversation)).not.toMatch(/secret|brother/i);
  });

  it('stops at the plan’s daily limit with 429 and a reset time; nothing is written; a crisis still gets the resources', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    for (let i = 0; i < FREE_DAILY_MESSAGES; i++) expect((await send(user, id, `message ${i}`)).status).toBe(201);
    const over = await send(user, id, 'one more please');
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('COMPANION.QUOTA_EXCEEDED');
    expect(over.body.message).toMatch(/resets at \d{4}-\d{2}-\d{2}T/);
    expect(await storedMessages(id)).toBe(FREE_DAILY_MESSAGES * 2);

    const crisis = await send(user, id, CRISIS_TEXT);
    expect(crisis.status).toBe(201);
    expect(crisis.body.data).toMatchObject({ crisis: true, ai_sender: 'system', source: 'offline' });
    expect(crisis.body.data.ai_response).toBe(await crisisText(user, 'en'));
    const [usage] = await sql('SELECT count FROM companion_usage WHERE user_id = $1', [user.id]);
    expect(usage.count).toBe(FREE_DAILY_MESSAGES);
  });

  it('holds the limit under concurrency: 10 sends with 3 left, exactly 3 succeed', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    const other = await newConversation(user);
    for (let i = 0; i < FREE_DAILY_MESSAGES - 3; i++) expect((await send(user, id, `before ${i}`)).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => send(user, i % 2 === 0 ? id : other, `race ${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const [{ n }] = await sql(
      "SELECT count(*)::int AS n FROM companion_messages m JOIN companion_conversations c ON c.id = m.conversation_id WHERE c.user_id = $1 AND m.sender = 'user'",
      [user.id],
    );
    expect(n).toBe(FREE_DAILY_MESSAGES);
  });
});
