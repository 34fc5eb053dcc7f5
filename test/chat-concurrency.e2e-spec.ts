import { DataSource } from 'typeorm';
import { chatCast, ChatCast, openChat } from './support/chat';
import { startTestApp, TestApp } from './support/test-app';

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]();
      }
    }),
  );
  return results;
}

describe('chat under concurrency', () => {
  let api: TestApp;
  let cast: ChatCast;
  let chatId: string;

  beforeAll(async () => {
    api = await startTestApp({ env: { DATABASE_POOL_SIZE: '20' } });
  });
  // A fresh chat per test: counts and sequence numbers are each test's own.
  beforeEach(async () => {
    cast = await chatCast(api);
    chatId = await openChat(api, cast.patient, cast.therapist);
  });
  afterAll(() => api?.close());

  it('1,000 messages sent concurrently by both sides: exactly 1,000 stored, numbered 1..1000, unread exact', async () => {
    const tasks = Array.from({ length: 1000 }, (_, i) => () => {
      const sender = i % 2 === 0 ? cast.patient : cast.therapist;
      return api.post(`/api/v1/chats/${chatId}/messages`, { text: `message ${i}` }, { token: sender.access });
    });
    const results = await pool(tasks, 50);
    expect(results.filter((r) => r.status !== 201).map((r) => r.text)).toEqual([]);
    const db = api.resolve(DataSource);
    const [stats] = await db.query(
      `SELECT count(*)::int AS n, min(seq)::int AS lo, max(seq)::int AS hi, count(DISTINCT seq)::int AS distinct_seq,
              count(*) FILTER (WHERE sender_id = $2)::int AS from_patient
         FROM messages WHERE conversation_id = $1`,
      [chatId, cast.patient.id],
    );
    expect(stats).toEqual({ n: 1000, lo: 1, hi: 1000, distinct_seq: 1000, from_patient: 500 });
    // Each side's unread count is exactly what the other sent after its own last message.
    const [last] = await db.query(`SELECT sender_id FROM messages WHERE conversation_id = $1 ORDER BY seq DESC LIMIT 1`, [chatId]);
    const expectUnread = async (user: typeof cast.patient) => {
      const [expected] = await db.query(
        `SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND sender_id <> $2
            AND seq > COALESCE((SELECT max(seq) FROM messages WHERE conversation_id = $1 AND sender_id = $2), 0)`,
        [chatId, user.id],
      );
      const chat = await api.get(`/api/v1/chats/${chatId}`, { token: user.access });
      expect(chat.body.data.unread_count).toBe(expected.n);
      return expected.n as number;
    };
    const patientUnread = await expectUnread(cast.patient);
    const therapistUnread = await expectUnread(cast.therapist);
    expect(last.sender_id === cast.patient.id ? patientUnread : therapistUnread).toBe(0);
    const [conversation] = await db.query('SELECT last_seq::int AS last_seq FROM conversations WHERE id = $1', [chatId]);
    expect(conversation.last_seq).toBe(1000);
  });

  it('concurrent read receipts and sends never lose an unread message', async () => {
    const tasks: Array<() => Promise<unknown>> = [];
    for (let i = 0; i < 200; i++) {
      tasks.push(() => api.post(`/api/v1/chats/${chatId}/messages`, { text: `late ${i}` }, { token: cast.patient.access }));
      if (i % 10 === 0) tasks.push(() => api.post(`/api/v1/chats/${chatId}/read`, undefined, { token: cast.therapist.access }));
    }
    await pool(tasks, 40);
    const db = api.resolve(DataSource);
    const [expected] = await db.query(
      `SELECT count(*)::int AS n FROM messages m JOIN conversation_participants p ON p.conversation_id = m.conversation_id AND p.user_id = $2
        WHERE m.conversation_id = $1 AND m.sender_id <> $2 AND m.seq > p.last_read_seq`,
      [chatId, cast.therapist.id],
    );
    const chat = await api.get(`/api/v1/chats/${chatId}`, { token: cast.therapist.access });
    expect(chat.body.data.unread_count).toBe(expected.n);
    const unreadList = await api.get(`/api/v1/chats/${chatId}/messages/unread?limit=100`, { token: cast.therapist.access });
    expect(unreadList.body.data.length).toBe(Math.min(100, expected.n));
    const readAll = await api.post(`/api/v1/chats/${chatId}/read`, undefined, { token: cast.therapist.access });
    expect(readAll.body.data.unread_count).toBe(0);
  });
});
