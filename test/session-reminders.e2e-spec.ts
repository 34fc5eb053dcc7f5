import { Role } from 'src/common/access/permissions';
import { SessionRemindersService } from 'src/modules/session-reminders/session-reminders.service';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { SessionHooks } from 'src/modules/sessions/session-hooks';
import type { SessionSnapshot } from 'src/modules/sessions/sessions.types';
import type { Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { book, bookableProvider, hoursFromNow } from './support/providers';
import { ReceivedMail, SmtpSink } from './support/smtp-sink';
import { collect, connectSocket } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';
import { sleep, waitFor } from './support/wait';

const MISSING = '00000000-0000-4000-8000-000000000000';
const MINUTE = 60_000;
/** Offsets of this file: a day, a quarter of an hour, and one minute so a reminder can fall due while a test waits. */
const OFFSETS = [1440, 15, 1];

describe('session reminders: scheduled at booking, moved, cancelled, sent once', () => {
  let api: TestApp;
  let admin: TestUser;
  let db: DataSource;
  let reminders: SessionRemindersService;
  const smtp = new SmtpSink();
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const url = await smtp.start();
    api = await startTestApp({ env: { SMTP_URL: url, MAIL_FROM: 'sessions@haven.test', SESSION_REMINDER_MINUTES: OFFSETS.join(',') } });
    admin = await createUserWithRole(api, Role.Admin);
    db = api.resolve(DataSource);
    reminders = api.resolve(SessionRemindersService);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api?.close();
    await smtp.stop();
  });

  const cast = async () => ({
    client: await registerUser(api, { first_name: 'Cleo', last_name: 'Client' }),
    provider: await bookableProvider(api, admin),
  });

  const bookAt = async (client: TestUser, provider: TestUser, scheduledAt: string): Promise<string> => {
    const res = await book(api, client, { friend_id: provider.id, type: 'video', scheduled_at: scheduledAt, duration_minutes: 30, notes: 'panic at night' });
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  };

  const listReminders = async (user: TestUser, sessionId: string) => {
    const res = await api.get(`/api/v1/sessions/${sessionId}/reminders`, { token: user.access });
    expect(res.status).toBe(200);
    return res.body.data as Array<{ id: string; offset_minutes: number; due_at: string; status: string; sent_at: string | null }>;
  };

  const reminderNotes = async (user: TestUser, sessionId: string) => {
    const res = await api.get('/api/v1/notifications?page_size=100', { token: user.access });
    return (res.body.data as Array<{ title: string; message: string; related_id: string; notification_type: string }>).filter(
      (n) => n.related_id === sessionId && n.title.startsWith('Session in'),
    );
  };

  const mailTo = (address: string): ReceivedMail[] => smtp.received.filter((m) => m.to.includes(address));

  const socketOf = async (user: TestUser): Promise<Array<Record<string, unknown>>> => {
    const socket = await connectSocket(api.url, user.access);
    sockets.push(socket);
    return collect(socket, 'session_reminder');
  };

  /** Makes one reminder due now, as if its time had come. */
  const makeDue = (reminderId: string) => db.query(`UPDATE session_reminders SET due_at = now() - interval '10 seconds' WHERE id = $1`, [reminderId]);

  it('booking creates one reminder per configured offset; a time already past is skipped; only the two and staff see them', async () => {
    const { client, provider } = await cast();
    const stranger = await registerUser(api);
    const scheduled = hoursFromNow(30);
    const id = await bookAt(client, provider, scheduled);
    const rows = await listReminders(client, id);
    expect(rows.map((r) => [r.offset_minutes, r.due_at, r.status, r.sent_at])).toEqual(
      OFFSETS.map((o) => [o, new Date(Date.parse(scheduled) - o * MINUTE).toISOString(), 'scheduled', null]),
    );
    expect(await listReminders(provider, id)).toEqual(rows);
    expect(await listReminders(admin, id)).toEqual(rows);
    for (const [user, sessionId] of [
      [stranger, id],
      [client, MISSING],
    ] as Array<[TestUser, string]>) {
      const res = await api.get(`/api/v1/sessions/${sessionId}/reminders`, { token: user.access });
      expect([res.status, res.body.code]).toEqual([404, 'SESSIONS.NOT_FOUND']);
    }

    // Twenty minutes ahead: the day-before reminder is already past.
    const soon = new Date(Math.ceil((Date.now() + 20 * MINUTE) / MINUTE) * MINUTE).toISOString();
    const near = await bookAt(client, provider, soon);
    expect((await listReminders(client, near)).map((r) => [r.offset_minutes, r.status])).toEqual([
      [1440, 'skipped'],
      [15, 'scheduled'],
      [1, 'scheduled'],
    ]);
  });

  it('a due reminder fires once: one notification per person, one email per recipient, one socket event each; no notes', async () => {
    const { client, provider } = await cast();
    expect((await api.patch('/api/v1/users/me', { time_zone: 'Asia/Tokyo' }, { token: client.access })).status).toBe(200);
    const clientEvents = await socketOf(client);
    const providerEvents = await socketOf(provider);
    const scheduled = hoursFromNow(40);
    const id = await bookAt(client, provider, scheduled);
    const quarter = (await listReminders(client, id)).find((r) => r.offset_minutes === 15)!;
    await makeDue(quarter.id);

    // Duplicate jobs, concurrent and late: the row lets one through.
    await Promise.all([reminders.remind({ reminderId: quarter.id }), reminders.remind({ reminderId: quarter.id })]);
    await reminders.remind({ reminderId: quarter.id });

    await waitFor(async () => mailTo(client.email).length > 0 && mailTo(provider.email).length > 0, 'both reminder emails');
    await waitFor(async () => clientEvents.length > 0 && providerEvents.length > 0, 'both socket events');
    await sleep(500);
    expect(mailTo(client.email)).toHaveLength(1);
    expect(mailTo(provider.email)).toHaveLength(1);
    expect(mailTo(client.email)[0].subject).toBe('Session in 15 minutes');
    expect(mailTo(client.email)[0].raw).not.toContain('panic');
    expect(clientEvents).toEqual([
      { session_id: id, reminder_id: quarter.id, scheduled_at: scheduled, minutes_before: 15, with_user: { id: provider.id, name: expect.any(String) } },
    ]);
    expect(providerEvents).toEqual([
      { session_id: id, reminder_id: quarter.id, scheduled_at: scheduled, minutes_before: 15, with_user: { id: client.id, name: 'Cleo Client' } },
    ]);

    const forClient = await reminderNotes(client, id);
    const forProvider = await reminderNotes(provider, id);
    expect(forClient).toHaveLength(1);
    expect(forProvider).toHaveLength(1);
    expect(forProvider[0]).toMatchObject({ notification_type: 'session', title: 'Session in 15 minutes' });
    expect(forProvider[0].message).toContain('Cleo Client');
    expect(forProvider[0].message).toContain(new Date(scheduled).toISOString().slice(11, 16));
    expect(forProvider[0].message).not.toContain('panic');
    // Each in their own zone: the provider in UTC, the client in Tokyo (UTC+9, no daylight saving).
    const tokyo = new Date(Date.parse(scheduled) + 9 * 3_600_000).toISOString().slice(11, 16);
    expect(forClient[0].message).toContain(tokyo);
    expect(mailTo(client.email)[0].raw).toContain(tokyo);

    const after = (await listReminders(client, id)).find((r) => r.id === quarter.id)!;
    expect(after.status).toBe('sent');
    expect(Date.parse(after.sent_at!)).toBeGreaterThan(Date.now() - MINUTE);
    // The other reminders are still waiting for their time.
    expect((await listReminders(client, id)).filter((r) => r.status === 'scheduled')).toHaveLength(2);
  });

  it('rescheduling moves the reminders; the old job finds nothing due; a sent one is scheduled again', async () => {
    const { client, provider } = await cast();
    const id = await bookAt(client, provider, hoursFromNow(50));
    const before = await listReminders(client, id);
    await db.query(`UPDATE session_reminders SET status = 'sent', sent_at = now() WHERE id = $1`, [before.find((r) => r.offset_minutes === 1440)!.id]);

    const moved = hoursFromNow(60);
    const res = await api.patch(`/api/v1/sessions/${id}`, { scheduled_at: moved }, { token: provider.access });
    expect(res.status).toBe(200);
    const after = await listReminders(client, id);
    expect(after.map((r) => [r.id, r.offset_minutes, r.due_at, r.status, r.sent_at])).toEqual(
      before.map((r) => [r.id, r.offset_minutes, new Date(Date.parse(moved) - r.offset_minutes * MINUTE).toISOString(), 'scheduled', null]),
    );

    // The jobs queued for the old times run: nothing is due yet, nothing is sent.
    for (const r of before) await reminders.remind({ reminderId: r.id });
    await sleep(300);
    expect(await reminderNotes(client, id)).toEqual([]);
    expect(await reminderNotes(provider, id)).toEqual([]);
    expect((await listReminders(client, id)).every((r) => r.status === 'scheduled')).toBe(true);
  });

  it('cancelling removes them: cancelled, and a job that still runs sends nothing', async () => {
    const { client, provider } = await cast();
    const clientEvents = await socketOf(client);
    const id = await bookAt(client, provider, hoursFromNow(70));
    const rows = await listReminders(client, id);
    const res = await api.delete(`/api/v1/sessions/${id}`, { token: provider.access });
    expect(res.status).toBe(200);
    expect((await listReminders(client, id)).map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);

    for (const r of rows) {
      await makeDue(r.id);
      await reminders.remind({ reminderId: r.id });
    }
    await sleep(500);
    expect(await reminderNotes(client, id)).toEqual([]);
    expect(await reminderNotes(provider, id)).toEqual([]);
    expect(mailTo(client.email)).toEqual([]);
    expect(mailTo(provider.email)).toEqual([]);
    expect(clientEvents).toEqual([]);
  });

  it('a session change that rolls back queues no reminder job', async () => {
    const { client, provider } = await cast();
    const id = await bookAt(client, provider, hoursFromNow(90));
    const before = await listReminders(client, id);
    const hooks = api.resolve(SessionHooks);
    const queue = api.resolve(QueueService);
    const enqueue = jest.spyOn(queue, 'enqueue');
    try {
      const moved = { id, clientId: client.id, providerId: provider.id, startsAt: new Date(hoursFromNow(100)) } as SessionSnapshot;
      await expect(
        db.transaction(async (manager) => {
          await hooks.run({ kind: 'rescheduled', session: moved }, manager);
          throw new Error('the session write failed after its hooks');
        }),
      ).rejects.toThrow('the session write failed');
      expect(enqueue.mock.calls.filter(([name]) => name === 'session.remind')).toEqual([]);
      expect(await listReminders(client, id)).toEqual(before);

      // The same change committed: its jobs are queued once the commit is done, keyed by the new due time.
      await db.transaction(async (manager) => {
        await hooks.run({ kind: 'rescheduled', session: moved }, manager);
        expect(enqueue).not.toHaveBeenCalled();
      });
      const keys = enqueue.mock.calls.filter(([name]) => name === 'session.remind').map(([, payload, options]) => [payload, options.key]);
      expect(keys).toEqual(before.map((r) => [{ reminderId: r.id }, `${r.id}:${moved.startsAt.getTime() - r.offset_minutes * MINUTE}`]));
    } finally {
      enqueue.mockRestore();
    }
  });

  it('a reminder whose job was lost is queued again by the sweep once it is late, and sent once', async () => {
    const { client, provider } = await cast();
    const id = await bookAt(client, provider, hoursFromNow(110));
    const day = (await listReminders(client, id)).find((r) => r.offset_minutes === 1440)!;
    // Late by five minutes, as if the process had died between the booking's commit and queuing the job.
    await db.query(`UPDATE session_reminders SET due_at = now() - interval '5 minutes' WHERE id = $1`, [day.id]);
    expect(await reminders.requeueLate()).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await reminderNotes(provider, id)).length > 0, 'the swept reminder', 20_000, 100);
    await waitFor(async () => mailTo(client.email).length > 0, 'the client’s email', 15_000);
    await reminders.requeueLate();
    await sleep(500);
    expect(await reminderNotes(client, id)).toHaveLength(1);
    expect(mailTo(client.email)).toHaveLength(1);
    expect((await listReminders(client, id)).find((r) => r.id === day.id)).toMatchObject({ status: 'sent' });
  });

  it('completing a session cancels what is left of its reminders', async () => {
    const { client, provider } = await cast();
    const id = await bookAt(client, provider, hoursFromNow(80));
    await db.query(
      `UPDATE care_sessions SET starts_at = now() - interval '40 minutes', ends_at = now() - interval '10 minutes', busy_until = now() - interval '10 minutes' WHERE id = $1`,
      [id],
    );
    expect((await api.post(`/api/v1/sessions/${id}/complete`, undefined, { token: provider.access })).status).toBe(200);
    expect((await listReminders(provider, id)).map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('the queued job sends a reminder when its time comes', async () => {
    const { client, provider } = await cast();
    // Starts in 70 seconds: the one-minute reminder is due in about 10.
    const start = new Date(Math.ceil((Date.now() + 70_000) / 1000) * 1000).toISOString();
    const id = await bookAt(client, provider, start);
    expect((await listReminders(client, id)).map((r) => [r.offset_minutes, r.status])).toEqual([
      [1440, 'skipped'],
      [15, 'skipped'],
      [1, 'scheduled'],
    ]);
    await waitFor(async () => (await reminderNotes(client, id)).length > 0, 'the reminder from the queue', 45_000, 250);
    await waitFor(async () => mailTo(provider.email).length > 0, 'the provider’s email', 15_000);
    expect((await listReminders(client, id))[2]).toMatchObject({ offset_minutes: 1, status: 'sent' });
    expect(await reminderNotes(provider, id)).toHaveLength(1);
  }, 60_000);
});
