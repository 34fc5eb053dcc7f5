import { randomUUID } from 'node:crypto';
import { Role } from 'src/common/access/permissions';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { isoWeekStart } from 'src/modules/sessions/sessions.service';
import { DataSource } from 'typeorm';
import { openChat, sendText, verifiedProvider } from './support/chat';
import { ALWAYS, hoursFromNow, putProfile, putRules } from './support/providers';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';
import { openTicket } from './support/tickets';
import { createUserWithRole, registerUser, TestUser } from './support/users';
import { waitFor } from './support/wait';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The admin dashboard against a data set this file seeds, every figure exact. The app has
 * its own database (and Redis prefix), so nothing else is counted. The API makes every
 * state it can; the database is written only where the API cannot make a state (a time in
 * the past: an old sign-up, an old chat, last month's payment, old flags, sessions moved
 * into this week and finished, a delivery between attempts, an old job failure).
 */
describe('admin dashboard', () => {
  const smtp = new SmtpSink();
  let api: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let manager: TestUser;
  let therapist: TestUser;
  let pendingTherapist: TestUser;
  /** The maintenance queue's counts before the test's probes. */
  let maintenanceBase: Record<string, number>;
  const clients: TestUser[] = [];
  let failedAlarm: { id: string; triggered_at: string };
  let oldestFlagAt: Date;
  const severities = new Map<string, number>();

  const asAdmin = (path: string) => api.get(path, { token: admin.access });
  const queuesNow = async () => (await asAdmin('/api/v1/admin/queues')).body.data.queues as Array<Record<string, any>>;
  const queueIdle = async (name: string): Promise<boolean> => {
    const q = (await queuesNow()).find((row) => row.queue === name)!;
    return q.waiting + q.active === 0;
  };
  const failureCount = async (): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM job_failures`))[0].n;

  beforeAll(async () => {
    const smtpUrl = await smtp.start();
    api = await startTestApp({ env: { SMTP_URL: smtpUrl, MAIL_FROM: 'haven@haven.test', JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '50' } });
    db = api.resolve(DataSource);

    // Accounts: 2 staff, 2 therapists (1 awaiting verification), 4 friends (2 awaiting, 1 suspended), 8 clients (1 suspended, 1 deleted).
    admin = await createUserWithRole(api, Role.Admin);
    manager = await createUserWithRole(api, Role.Manager);
    therapist = await verifiedProvider(api, admin, Role.Therapist);
    pendingTherapist = await registerUser(api, { role: Role.Therapist });
    await verifiedProvider(api, admin, Role.Friend);
    await registerUser(api, { role: Role.Friend });
    await registerUser(api, { role: Role.Friend });
    const suspendedFriend = await registerUser(api, { role: Role.Friend });
    for (let i = 0; i < 8; i++) clients.push(await registerUser(api, { first_name: `Client${i}` }));
    const [c1, c2, c3, c4, c5, c6, c7, c8] = clients;
    expect((await api.patch(`/api/v1/admin/users/${suspendedFriend.id}`, { status: 'suspended' }, { token: admin.access })).status).toBe(200);
    expect((await api.patch(`/api/v1/admin/users/${c7.id}`, { status: 'suspended' }, { token: admin.access })).status).toBe(200);
    expect((await api.delete('/api/v1/users/me', { token: c8.access, body: { password: c8.password } })).status).toBe(200);
    // c6 signed up two days ago.
    await db.query(`UPDATE users SET created_at = now() - interval '2 days' WHERE id = $1`, [c6.id]);

    // Alarms. First, with the mail server refusing everything: c2's alarm email fails for good
    // (one failed delivery, one failed alarm.deliver job). Nothing else may be mailing then.
    await waitFor(() => queueIdle('email'), 'earlier emails to go out');
    smtp.refusing = true;
    expect((await api.post('/api/v1/emergency-contacts', { name: 'Tom', phone: '+14155552671', email: 'tom-dash@example.org', relationship: 'brother' }, { token: c2.access })).status).toBe(201);
    const triggered = await api.post('/api/v1/alarms', {}, { token: c2.access });
    expect(triggered.status).toBe(201);
    failedAlarm = triggered.body.data.alarm;
    await waitFor(async () => {
      const alarm = (await api.get(`/api/v1/alarms/${failedAlarm.id}`, { token: c2.access })).body.data;
      return alarm.deliveries.length > 0 && alarm.deliveries.every((d: any) => d.status === 'failed');
    }, 'the alarm email to fail for good', 20_000);
    await waitFor(async () => (await failureCount()) === 1, 'the failed alarm job record');
    smtp.refusing = false;
    // c3's alarm is delivered and resolved; one of its emails is put back between attempts.
    expect((await api.post('/api/v1/emergency-contacts', { name: 'Ann', phone: '+14155552672', email: 'ann-dash@example.org', relationship: 'sister' }, { token: c3.access })).status).toBe(201);
    const delivered = await api.post('/api/v1/alarms', {}, { token: c3.access });
    const deliveredId = delivered.body.data.alarm.id;
    await waitFor(async () => {
      const alarm = (await api.get(`/api/v1/alarms/${deliveredId}`, { token: c3.access })).body.data;
      return alarm.deliveries.length > 0 && alarm.deliveries.every((d: any) => d.status === 'sent');
    }, 'the alarm email to be sent');
    expect((await api.post(`/api/v1/alarms/${deliveredId}/resolve`, {}, { token: c3.access })).status).toBe(200);
    await db.query(`UPDATE alarm_deliveries SET status = 'queued' WHERE alarm_id = $1 AND channel = 'email'`, [deliveredId]);

    // Chats: active = a message in the last 7 days.
    await sendText(api, await openChat(api, c1, therapist), c1, 'hello');
    await openChat(api, c2, therapist); // no message: not active
    const oldChat = await openChat(api, c3, therapist);
    await sendText(api, oldChat, c3, 'a while ago');
    await db.query(`UPDATE conversations SET last_message_at = now() - interval '8 days' WHERE id = $1`, [oldChat]);
    const group = await api.post('/api/v1/groups', { name: 'Evening circle' }, { token: therapist.access });
    expect(group.status).toBe(201);
    await sendText(api, group.body.data.id, therapist, 'welcome');
    const support = await api.get('/api/v1/support/chat', { token: c4.access });
    await sendText(api, support.body.data.chat_id, c4, 'I need help with billing');

    // Sessions: five booked, then four moved into this ISO week (one of each status) and one into last week.
    await putProfile(api, therapist);
    await putRules(api, therapist, ALWAYS);
    const booked: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api.post('/api/v1/sessions', { counselor_id: therapist.id, type: 'text', scheduled_at: hoursFromNow(30 + 2 * i), duration_minutes: 30 }, { token: c1.access });
      expect(res.status).toBe(201);
      booked.push(res.body.data.id);
    }
    expect((await api.delete(`/api/v1/sessions/${booked[1]}`, { token: c1.access })).status).toBe(200);
    const weekStart = isoWeekStart(new Date());
    const moveTo = (id: string, at: Date) =>
      db.query(`UPDATE care_sessions SET starts_at = $2, ends_at = $2::timestamptz + (ends_at - starts_at), busy_until = $2::timestamptz + (busy_until - starts_at) WHERE id = $1`, [id, at]);
    for (let i = 0; i < 4; i++) await moveTo(booked[i], new Date(weekStart.getTime() + (i + 1) * HOUR));
    await moveTo(booked[4], new Date(weekStart.getTime() - DAY));
    await db.query(`UPDATE care_sessions SET status = 'completed' WHERE id = $1`, [booked[2]]);
    await db.query(`UPDATE care_sessions SET status = 'no_show' WHERE id = $1`, [booked[3]]);

    // Risk flags: c3 open (new), c6 open (2 days old), c4 acknowledged (3 hours old), c5 resolved.
    const crisis: Array<[TestUser, string]> = [
      [c3, 'i took the whole bottle of pills an hour ago'],
      [c4, 'i want to kill myself tonight'],
      [c5, 'cut myself again last night'],
      [c6, 'i am going to overdose on my meds tonight'],
    ];
    for (const [client, note] of crisis) expect((await api.post('/api/v1/mood/entries', { mood: 'sad', note }, { token: client.access })).status).toBe(201);
    const flagOf = async (client: TestUser) => {
      const list = await api.get(`/api/v1/admin/risk-flags?user_id=${client.id}`, { token: manager.access });
      expect(list.body.data).toHaveLength(1);
      return list.body.data[0];
    };
    const flags = new Map<TestUser, any>();
    for (const [client] of crisis) flags.set(client, await flagOf(client));
    expect((await api.post(`/api/v1/admin/risk-flags/${flags.get(c4).id}/acknowledge`, {}, { token: manager.access })).status).toBe(200);
    expect((await api.post(`/api/v1/admin/risk-flags/${flags.get(c5).id}/resolve`, { outcome: 'other' }, { token: admin.access })).status).toBe(200);
    await db.query(`UPDATE risk_flags SET first_detected_at = now() - interval '2 days' WHERE id = $1`, [flags.get(c6).id]);
    await db.query(`UPDATE risk_flags SET first_detected_at = now() - interval '3 hours' WHERE id = $1`, [flags.get(c4).id]);
    oldestFlagAt = (await db.query(`SELECT first_detected_at FROM risk_flags WHERE id = $1`, [flags.get(c6).id]))[0].first_detected_at;
    for (const client of [c3, c4, c6]) {
      const severity = flags.get(client).severity as string;
      severities.set(severity, (severities.get(severity) ?? 0) + 1);
    }

    // Payments this month: premium twice and basic once succeeded; a declined one and last month's do not count.
    const subscribe = async (client: TestUser, plan: string, method = 'pm_card_visa') => {
      const res = await api.post('/api/v1/payments/subscribe', { plan_name: plan, payment_method_id: method }, { token: client.access });
      if (method === 'pm_card_visa') expect(res.status).toBeLessThan(300);
      else expect(res.status).toBe(402);
    };
    await subscribe(c1, 'premium');
    await subscribe(c4, 'premium');
    await subscribe(c5, 'basic');
    await subscribe(c6, 'premium', 'pm_card_chargeDeclined');
    await subscribe(c3, 'premium');
    await db.query(`UPDATE payments SET created_at = now() - interval '40 days' WHERE user_id = $1`, [c3.id]);

    // Tickets: c1 opens three; one stays open, one is answered (pending on the user), one resolved.
    const [, answered, resolved] = [await openTicket(api, c1), await openTicket(api, c1), await openTicket(api, c1)];
    expect((await api.post(`/api/v1/admin/tickets/${answered.id}/replies`, { body: 'Looking into it.' }, { token: manager.access })).status).toBe(201);
    expect((await api.patch(`/api/v1/admin/tickets/${resolved.id}`, { status: 'resolved' }, { token: manager.access })).status).toBe(200);

    // Jobs: on the maintenance queue one probe completes, one fails for good, one waits an hour. The queue
    // also runs housekeeping (retention runs once at start, then on its schedule): counted from a baseline.
    const queue = api.resolve(QueueService);
    maintenanceBase = await waitFor(async () => {
      const m = (await queuesNow()).find((row) => row.queue === 'maintenance')!;
      return m.waiting + m.active === 0 && m.completed >= 1 ? m : null;
    }, 'the start-up housekeeping to finish');
    const [ok, failing, later] = [randomUUID(), randomUUID(), randomUUID()];
    await queue.enqueue('maintenance.probe', { probeId: ok }, { key: ok });
    await queue.enqueue('maintenance.probe', { probeId: failing, failTimes: 5 }, { key: failing });
    await queue.enqueue('maintenance.probe', { probeId: later }, { key: later, delayMs: HOUR });
    await waitFor(async () => (await failureCount()) === 2, 'the probe to fail for good', 20_000);
    await waitFor(async () => {
      const m = (await queuesNow()).find((row) => row.queue === 'maintenance')!;
      return m.completed === maintenanceBase.completed + 1 && m.failed === maintenanceBase.failed + 1 && m.waiting + m.active === 0;
    }, 'the probes to settle');
    // A failure recorded two days ago: in the total, not in the last 24 hours.
    await db.query(
      `INSERT INTO job_failures (driver, queue, name, key, payload, attempts, error, failed_at) VALUES ('in-process', 'email', 'email.send', 'old', '{}', 3, 'old failure', now() - interval '2 days')`,
    );
  }, 180_000);

  afterAll(async () => {
    await api?.close();
    await smtp.stop();
  });

  it('counts every figure exactly', async () => {
    const res = await asAdmin('/api/v1/admin/dashboard');
    expect(res.status).toBe(200);
    const data = res.body.data;
    const now = new Date(data.generated_at);
    expect(Math.abs(now.getTime() - Date.now())).toBeLessThan(60_000);

    expect(data.users).toEqual({
      total: 15,
      by_role: [
        { role: 'client', active: 6, suspended: 1, deleted: 1 },
        { role: 'therapist', active: 2, suspended: 0, deleted: 0 },
        { role: 'friend', active: 3, suspended: 1, deleted: 0 },
        { role: 'manager', active: 1, suspended: 0, deleted: 0 },
        { role: 'admin', active: 1, suspended: 0, deleted: 0 },
      ],
      awaiting_verification: { therapist: 1, friend: 2 },
    });

    const day = (offset: number) => new Date(now.getTime() - offset * DAY).toISOString().slice(0, 10);
    expect(data.signups.days).toBe(14);
    expect(data.signups.total).toBe(16);
    expect(data.signups.per_day).toHaveLength(14);
    expect(data.signups.per_day[0].day).toBe(day(13));
    expect(data.signups.per_day[13]).toEqual({ day: day(0), count: 15 });
    expect(data.signups.per_day[11]).toEqual({ day: day(2), count: 1 });
    expect(data.signups.per_day.filter((d: any) => d.count > 0)).toHaveLength(2);

    expect(data.chats).toEqual({ window_days: 7, active: 3, direct: 1, group: 1, support: 1 });

    const weekStart = isoWeekStart(now);
    expect(data.sessions).toEqual({
      week_start: weekStart.toISOString(),
      week_end: new Date(weekStart.getTime() + 7 * DAY).toISOString(),
      total: 4,
      upcoming: 1,
      completed: 1,
      cancelled: 1,
      no_show: 1,
    });

    const alarmAt = new Date(failedAlarm.triggered_at);
    expect(data.alarms).toEqual({
      open: 1,
      oldest_open_at: alarmAt.toISOString(),
      oldest_open_age_seconds: Math.floor((now.getTime() - alarmAt.getTime()) / 1000),
      undelivered_emails: { queued: 1, failed: 1 },
    });

    expect(data.risk_flags).toEqual({
      unresolved: 3,
      open: 2,
      acknowledged: 1,
      by_severity: { moderate: severities.get('moderate') ?? 0, high: severities.get('high') ?? 0, critical: severities.get('critical') ?? 0 },
      by_age: { under_1h: 1, from_1h_to_24h: 1, from_1d_to_7d: 1, over_7d: 0 },
      oldest_first_detected_at: oldestFlagAt.toISOString(),
      oldest_age_seconds: Math.floor((now.getTime() - oldestFlagAt.getTime()) / 1000),
    });

    expect(data.tickets).toEqual({ unresolved: 2, open: 1, pending_on_user: 1, resolved: 1, closed: 0 });
    expect(data.jobs).toEqual({ failed_total: 3, failed_last_24h: 2 });
  });

  it('counts sign-ups over the days asked for, oldest first', async () => {
    const res = await asAdmin('/api/v1/admin/dashboard?days=3');
    expect(res.status).toBe(200);
    const now = new Date(res.body.data.generated_at);
    const day = (offset: number) => new Date(now.getTime() - offset * DAY).toISOString().slice(0, 10);
    expect(res.body.data.signups).toEqual({
      days: 3,
      total: 16,
      per_day: [
        { day: day(2), count: 1 },
        { day: day(1), count: 0 },
        { day: day(0), count: 15 },
      ],
    });
    const today = await asAdmin('/api/v1/admin/dashboard?days=1');
    expect(today.body.data.signups).toEqual({ days: 1, total: 15, per_day: [{ day: day(0), count: 15 }] });
  });

  it('sums this month’s revenue by plan and currency (admins)', async () => {
    const res = await asAdmin('/api/v1/admin/dashboard/revenue');
    expect(res.status).toBe(200);
    const now = new Date(res.body.data.generated_at);
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    expect(res.body.data).toEqual({
      generated_at: now.toISOString(),
      month: from.toISOString().slice(0, 7),
      from: from.toISOString(),
      to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
      by_plan: [
        { plan: 'basic', purpose: 'subscription', currency: 'USD', amount: '9.99', payments: 1 },
        { plan: 'premium', purpose: 'subscription', currency: 'USD', amount: '39.98', payments: 2 },
      ],
      totals: [{ currency: 'USD', amount: '49.97', payments: 3 }],
    });
  });

  it('shows every queue’s jobs by state', async () => {
    const res = await asAdmin('/api/v1/admin/queues');
    expect(res.status).toBe(200);
    expect(res.body.data.driver).toBe(api.resolve(QueueService).driverKind);
    const queues = res.body.data.queues as Array<Record<string, any>>;
    expect(queues.map((q) => q.queue)).toEqual(['email', 'alarms', 'matching', 'reminders', 'maintenance']);
    expect(queues.find((q) => q.queue === 'maintenance')).toEqual({
      queue: 'maintenance',
      waiting: 0,
      active: 0,
      delayed: maintenanceBase.delayed + 1,
      completed: maintenanceBase.completed + 1,
      failed: maintenanceBase.failed + 1,
    });
    // The alarm email that failed for good; the sessions' reminders wait for their time.
    expect(queues.find((q) => q.queue === 'alarms')!.failed).toBe(1);
    for (const q of queues) for (const key of ['waiting', 'active', 'delayed', 'completed', 'failed']) expect(Number.isInteger(q[key]) && q[key] >= 0).toBe(true);
  });

  it('lets managers see the dashboard and queues but not revenue; clients and unverified providers see nothing', async () => {
    expect((await api.get('/api/v1/admin/dashboard', { token: manager.access })).status).toBe(200);
    expect((await api.get('/api/v1/admin/queues', { token: manager.access })).status).toBe(200);
    const refused = await api.get('/api/v1/admin/dashboard/revenue', { token: manager.access });
    expect(refused.status).toBe(403);
    expect(refused.body.success).toBe(false);
    for (const caller of [clients[0], pendingTherapist, therapist]) {
      for (const path of ['/api/v1/admin/dashboard', '/api/v1/admin/dashboard/revenue', '/api/v1/admin/queues']) {
        expect({ path, status: (await api.get(path, { token: caller.access })).status }).toEqual({ path, status: 403 });
      }
    }
    for (const path of ['/api/v1/admin/dashboard', '/api/v1/admin/dashboard/revenue', '/api/v1/admin/queues']) {
      expect((await api.get(path)).status).toBe(401);
    }
  });

  it('refuses a bad `days` or an unknown parameter, naming the field', async () => {
    for (const days of ['0', '91', '2.5', 'abc', '-1', '']) {
      const res = await asAdmin(`/api/v1/admin/dashboard?days=${days}`);
      expect({ days, status: res.status, code: res.body.code }).toEqual({ days, status: 400, code: 'COMMON.VALIDATION_FAILED' });
      expect(Object.keys(res.body.errors)).toEqual(['days']);
    }
    const unknown = await asAdmin('/api/v1/admin/dashboard?since=yesterday');
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.errors)).toEqual(['since']);
  });
});
