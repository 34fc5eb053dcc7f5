import type { Socket } from 'socket.io-client';
import { crisisReplyText } from 'src/modules/risk-flags/crisis-reply';
import { RiskFlagsService } from 'src/modules/risk-flags/risk-flags.service';
import { FakeOpenAi } from './support/fake-openai';
import { collect, connectSocket, emitAck, nextEvent } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser, TestUser } from './support/users';

const MEMORY_MESSAGES = 4;
const TIMEOUT_MS = 1500;
const FALLBACK_NOTE = '(I could not reach my language model just now, so this is a simpler built-in reply.)';

describe('AI companion with an OpenAI-compatible model (an in-process fake)', () => {
  let api: TestApp;
  let fake: FakeOpenAi;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    fake = new FakeOpenAi();
    const url = await fake.start();
    api = await startTestApp({
      env: {
        COMPANION_MODEL_URL: url,
        COMPANION_MODEL_API_KEY: 'sk-test-companion',
        COMPANION_MODEL: 'haven-test-model',
        COMPANION_MODEL_TIMEOUT_MS: String(TIMEOUT_MS),
        COMPANION_MODEL_RETRIES: '1',
        COMPANION_MEMORY_MESSAGES: String(MEMORY_MESSAGES),
      },
    });
    // Markers in the user's text choose how the fake answers.
    fake.answer = (request, attempt) => {
      const text = request.body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
      if (text.includes('[500]')) return { kind: 'status', status: 500 };
      if (text.includes('[400]')) return { kind: 'status', status: 400 };
      if (text.includes('[hang]')) return { kind: 'hang' };
      if (text.includes('[429-once]') && attempt === 1) return { kind: 'status', status: 429 };
      if (text.includes('[json]')) return { kind: 'json', content: 'A whole reply at once.' };
      if (text.includes('pills')) return { kind: 'stream', pieces: ['Everything', ' is', ' fine.'] };
      return { kind: 'stream', pieces: ['Hello', ' from', ' the model.'], gapMs: 5 };
    };
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api?.close();
    await fake?.stop();
  });

  const newConversation = async (user: TestUser): Promise<string> => (await api.post('/api/v1/companion/conversations', {}, { token: user.access })).body.data.id;
  const send = (user: TestUser, conversationId: string, text: string) => api.post(`/api/v1/companion/conversations/${conversationId}/messages`, { text }, { token: user.access });

  it('asks the model with the guardrails, the model name and the key, streaming, and stores its reply', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    const res = await send(user, id, 'Hi there, first contact');
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ source: 'model', ai_response: 'Hello from the model.', crisis: false, ai_sender: 'assistant' });
    const [request] = fake.about('first contact');
    expect(request.authorization).toBe('Bearer sk-test-companion');
    expect(request.body).toMatchObject({ model: 'haven-test-model', stream: true });
    expect(request.body.messages[0].role).toBe('system');
    expect(request.body.messages[0].content).toMatch(/not a clinician/);
    expect(request.body.messages[0].content).toMatch(/never claim to be human/);
    expect(request.body.messages.at(-1)).toEqual({ role: 'user', content: 'Hi there, first contact' });
    expect((await send(user, id, 'plain json please [json]')).body.data).toMatchObject({ source: 'model', ai_response: 'A whole reply at once.' });
  });

  it('streams the model’s pieces to the user’s sockets in order, then the whole reply', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    const socket = await connectSocket(api.url, user.access);
    sockets.push(socket);
    const chunks = collect<any>(socket, 'companion_reply_chunk');
    const done = nextEvent<any>(socket, 'companion_reply', (r) => r.conversation_id === id);
    const ack = await emitAck(socket, 'companion_send', { conversation_id: id, text: 'stream it to me' });
    expect(ack).toMatchObject({ ok: true, data: { sender: 'user', text: 'stream it to me' } });
    const reply = await done;
    expect(reply).toMatchObject({ user_message_id: ack.data.id, source: 'model', ai_response: 'Hello from the model.' });
    expect(chunks.filter((c) => c.message_id === reply.ai_message_id)).toEqual([
      { conversation_id: id, message_id: reply.ai_message_id, index: 0, text: 'Hello' },
      { conversation_id: id, message_id: reply.ai_message_id, index: 1, text: ' from' },
      { conversation_id: id, message_id: reply.ai_message_id, index: 2, text: ' the model.' },
    ]);
  });

  it('retries a 429, then uses the answer', async () => {
    const user = await registerUser(api);
    const res = await send(user, await newConversation(user), 'busy model [429-once]');
    expect(res.body.data).toMatchObject({ source: 'model', ai_response: 'Hello from the model.' });
    expect(fake.about('[429-once]')).toHaveLength(2);
  });

  it('falls back to the offline responder after a 500 (retried) and after a timeout, with a short note', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    const failed = await send(user, id, 'I feel anxious [500]');
    expect(failed.status).toBe(201);
    expect(failed.body.data.source).toBe('offline_fallback');
    expect(failed.body.data.ai_response.startsWith(FALLBACK_NOTE)).toBe(true);
    expect(failed.body.data.ai_response).toContain('anxious');
    expect(fake.about('[500]')).toHaveLength(2);

    const refused = await send(user, id, 'bad request [400]');
    expect(refused.body.data.source).toBe('offline_fallback');
    expect(fake.about('[400]')).toHaveLength(1);

    const started = Date.now();
    const slow = await send(user, id, 'are you there [hang]');
    expect(slow.status).toBe(201);
    expect(slow.body.data.source).toBe('offline_fallback');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * TIMEOUT_MS);
    expect(fake.about('[hang]')).toHaveLength(2);
    const history = await api.get(`/api/v1/companion/conversations/${id}/messages?limit=1`, { token: user.access });
    expect(history.body.data[0]).toMatchObject({ source: 'offline_fallback', text: slow.body.data.ai_response });
  });

  it('sends the model the last N messages and a rolling summary of older turns', async () => {
    const user = await registerUser(api);
    const id = await newConversation(user);
    const texts = ['Work has been rough. My manager shouts a lot.', 'Sleep is bad too. I wake at 4.', 'My sister helps. She calls daily.', 'Weekends are better.', 'What can I do tonight? memory-check'];
    for (const text of texts) expect((await send(user, id, text)).status).toBe(201);
    const [request] = fake.about('memory-check');
    const messages = request.body.messages;
    // Guardrails, the summary, then positions 6-9: reply 3, message 4, reply 4, message 5.
    expect(messages).toHaveLength(2 + MEMORY_MESSAGES);
    expect(messages[1].role).toBe('system');
    expect(messages[1].content).toContain('Summary of the earlier conversation');
    expect(messages[1].content).toContain('Work has been rough.');
    expect(messages[1].content).toContain('Sleep is bad too.');
    expect(messages[1].content).toContain('My sister helps.');
    expect(messages[1].content).not.toContain('My manager shouts');
    expect(messages.slice(2).map((m: any) => m.role)).toEqual(['assistant', 'user', 'assistant', 'user']);
    expect(messages.at(-1)?.content).toBe(texts[4]);
    expect(messages[3].content).toBe(texts[3]);
    // The second message had no summary yet: guardrails and its window only.
    const [second] = fake.about('I wake at 4');
    expect(second.body.messages.map((m: any) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });

  it('a crisis reply starts with the crisis resources of the user’s country whatever the model says; the model hears about the crisis', async () => {
    const user = await registerUser(api);
    expect((await api.patch('/api/v1/users/me', { country: 'DE' }, { token: user.access })).status).toBe(200);
    const id = await newConversation(user);
    const socket = await connectSocket(api.url, user.access);
    sockets.push(socket);
    const chunks = collect<any>(socket, 'companion_reply_chunk');
    // The socket may deliver the chunks after the HTTP answer; the whole reply follows the last chunk.
    const done = nextEvent<any>(socket, 'companion_reply', (r) => r.conversation_id === id);
    const res = await send(user, id, 'i took the whole bottle of pills an hour ago');
    expect(res.status).toBe(201);
    await done;
    const expected = crisisReplyText(await api.resolve(RiskFlagsService).crisisSupport(user.id), 'en');
    expect(res.body.data).toMatchObject({ crisis: true, source: 'model', ai_response: `${expected}\n\nEverything is fine.` });
    // Germany's lines, not the international list.
    expect(expected).toContain('TelefonSeelsorge');
    expect(expected).toContain('112');
    expect(res.body.data.keywords_detected.length).toBeGreaterThan(0);
    const [request] = fake.about('bottle of pills');
    expect(request.body.messages[0].content).toMatch(/suggests a crisis/);
    const mine = chunks.filter((c) => c.message_id === res.body.data.ai_message_id);
    expect(mine[0]).toMatchObject({ index: 0, text: expected });
    expect(mine[1]).toMatchObject({ index: 1, text: '\n\nEverything' });
  });
});
