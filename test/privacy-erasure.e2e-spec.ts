import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PersonalDataRegistry } from 'src/modules/users/personal-data';
import { DataSource } from 'typeorm';
import { chatCast, ChatCast } from './support/chat';
import { seedEveryModule } from './support/privacy';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Tables that may keep a row linked to an erased account (pointing at its anonymous row),
 * because the row is someone else's record too or the law asks for it. Every other table
 * must hold nothing that names the account's id after its erasure.
 */
const KEEPS_LINK = new Set([
  'users',
  'audit_log',
  'conversations',
  'conversation_participants',
  'messages',
  'care_sessions',
  'session_reminders',
  'session_feedback',
  'payments',
  'subscriptions',
  'event_tickets',
  'group_events',
  'notifications', // the other side's notifications (e.g. "a deleted account cancelled a session") name the session, whose id is not personal; checked below for text
]);

/** In kept rows, encrypted values that are another person's words (their own messages in a shared chat). */
const OTHERS_CIPHERTEXT = new Map<string, (row: Record<string, unknown>, userId: string) => boolean>([['messages', (row, userId) => row.sender_id !== userId]]);

describe('privacy: erasure across every module', () => {
  let api: TestApp;
  let db: DataSource;
  let cast: ChatCast;

  beforeAll(async () => {
    api = await startTestApp();
    db = api.resolve(DataSource);
    cast = await chatCast(api);
  });
  afterAll(() => api?.close());

  const tablesOfSchema = async (): Promise<string[]> =>
    ((await db.query<Array<{ table_name: string }>>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"))).map(
      (r) => r.table_name,
    );

  it('every table of the schema has exactly one erasure rule, and every rule names a table that exists', async () => {
    const rules = api.resolve(PersonalDataRegistry).rules();
    const ruled = rules.map((r) => r.table).sort();
    expect(new Set(ruled).size).toBe(ruled.length);
    expect(ruled).toEqual(await tablesOfSchema());
    for (const rule of rules) expect(rule.rule.trim()).not.toBe('');
  });

  it("the README's erasure table is the rules in the code", () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### What erasure does to each table'));
    const documented = [...section.matchAll(/^\| `([a-z_]+)` \| ([a-z-]+) \| (.+) \|$/gm)].map((m) => `${m[1]} | ${m[2]} | ${m[3]}`);
    const inCode = api
      .resolve(PersonalDataRegistry)
      .rules()
      .map((r) => `${r.table} | ${r.feature} | ${r.rule}`)
      .sort();
    expect(documented).toEqual(inCode);
  });

  it('erasing an account with data in every module leaves nothing personal anywhere; the other side still reads the shared records', async () => {
    const { user: u, mark, secrets, provider, chatId, theirs, sessionId, eventId } = await seedEveryModule(api, cast);

    // Erase.
    const erased = await api.request('DELETE', '/api/v1/users/me', { body: { password: u.password }, token: u.access });
    expect(erased.status).toBe(200);

    // The walk: every row of every table, as JSON text.
    const leaks: string[] = [];
    for (const table of await tablesOfSchema()) {
      const rows = (await db.query<Array<{ row: Record<string, unknown> }>>(`SELECT row_to_json(t) AS row FROM "${table}" t`));
      for (const { row } of rows) {
        const text = JSON.stringify(row);
        for (const [name, value] of Object.entries(secrets)) if (text.toLowerCase().includes(value.toLowerCase())) leaks.push(`${table}: ${name}`);
        if (text.includes(mark)) leaks.push(`${table}: marker`);
        if (!text.includes(u.id)) continue;
        if (!KEEPS_LINK.has(table)) {
          leaks.push(`${table}: a row still names the account`);
          continue;
        }
        const others = OTHERS_CIPHERTEXT.get(table);
        if (text.includes('enc1.') && !(others && others(row, u.id))) leaks.push(`${table}: encrypted text in a kept row`);
      }
    }
    expect(leaks).toEqual([]);

    // The account is anonymous and cannot sign in.
    const [account] = (await db.query<Array<Record<string, unknown>>>('SELECT email, first_name, last_name, username, status, personality_data FROM users WHERE id = $1', [u.id]));
    expect(account).toEqual({ email: `deleted-${u.id}@deleted.invalid`, first_name: '', last_name: '', username: null, status: 'deleted', personality_data: null });
    expect((await api.post('/api/v1/auth/login', { email: secrets.email, password: u.password })).status).toBe(401);

    // The other side: the chat opens, the erased messages keep their place without a body.
    const history = await api.get(`/api/v1/chats/${chatId}/messages?limit=50`, { token: cast.therapist.access });
    expect(history.status).toBe(200);
    const messages = history.body.data as Array<Record<string, any>>;
    const fromErased = messages.filter((m) => m.sender_id === u.id);
    expect(fromErased.length).toBeGreaterThanOrEqual(2);
    for (const message of fromErased) expect(message).toMatchObject({ text: null });
    expect(messages.find((m) => m.id === theirs.id)).toMatchObject({ text: 'How are you today?', sender_id: cast.therapist.id });
    const list = await api.get('/api/v1/chats', { token: cast.therapist.access });
    expect(list.status).toBe(200);

    // The provider's session is cancelled, still listed; the payment record stays without personal data.
    const sessions = await api.get('/api/v1/sessions', { token: provider.access });
    expect(sessions.status).toBe(200);
    const booked = (sessions.body.data as Array<Record<string, any>>).find((s) => s.id === sessionId);
    expect(booked?.status).toBe('cancelled');
    const payments = (await db.query<Array<Record<string, unknown>>>('SELECT amount_minor, status, payment_method_id, client_secret FROM payments WHERE user_id = $1', [u.id]));
    expect(payments.length).toBeGreaterThan(0);
    for (const payment of payments) expect(payment).toMatchObject({ payment_method_id: null, client_secret: null });
    const [subscription] = (await db.query<Array<{ status: string }>>('SELECT status FROM subscriptions WHERE user_id = $1', [u.id]));
    expect(subscription.status).toBe('cancelled');

    // The seat at the event is freed (the ticket cancelled and refunded), the ticket kept without payment details.
    const event = await api.get(`/api/v1/events/${eventId}`, { token: provider.access });
    expect(event.body.data.registered_count).toBe(0);
    const [ticket] = await db.query<Array<Record<string, unknown>>>('SELECT status, payment_method_id, client_secret FROM event_tickets WHERE user_id = $1', [u.id]);
    expect(ticket).toEqual({ status: 'cancelled', payment_method_id: null, client_secret: null });
    // The refund ran once the erasure committed (before the answer).
    const [ticketPayment] = await db.query<Array<{ status: string }>>("SELECT status FROM payments WHERE user_id = $1 AND purpose = 'event_ticket'", [u.id]);
    expect(ticketPayment.status).toBe('refunded');
  });
});
