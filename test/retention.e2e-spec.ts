import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Role } from 'src/common/access/permissions';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';
import { usingRedis } from './support/test-env';
import { createUserWithRole, registerUser, TestUser } from './support/users';
import { waitFor } from './support/wait';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const PERIOD_DAYS = 10;
/** Just past the period (deleted) and just inside it (kept): an hour either side of the cutoff. */
const past = (): Date => new Date(Date.now() - PERIOD_DAYS * DAY_MS - HOUR_MS);
const inside = (): Date => new Date(Date.now() - PERIOD_DAYS * DAY_MS + HOUR_MS);
const future = (): Date => new Date(Date.now() + DAY_MS);

const periods = (days: number): Record<string, string> => ({
  RETENTION_COMPANION_DAYS: String(days),
  RETENTION_NOTIFICATIONS_DAYS: String(days),
  RETENTION_SESSIONS_DAYS: String(days),
  RETENTION_MAIL_DAYS: String(days),
  RETENTION_JOB_RECORDS_DAYS: String(days),
});

/** Rows seeded straight into each owner's table, back-dated where the API cannot. */
class Seeder {
  constructor(private readonly db: DataSource) {}

  async conversation(userId: string, lastMessageAt: Date | null, createdAt: Date, messages = 0): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO companion_conversations (id, user_id, message_count, last_message_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
      [id, userId, messages, lastMessageAt, createdAt],
    );
    for (let position = 1; position <= messages; position++) {
      await this.db.query(`INSERT INTO companion_messages (id, conversation_id, position, sender, text, created_at) VALUES ($1, $2, $3, 'user', 'ciphertext', $4)`, [
        randomUUID(),
        id,
        position,
        lastMessageAt ?? createdAt,
      ]);
    }
    return id;
  }

  async notification(userId: string, createdAt: Date, read: boolean): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO notifications (id, user_id, title, message, notification_type, read, read_at, created_at) VALUES ($1, $2, 'Hello', 'A test notification', 'system', $3, $4, $5)`,
      [id, userId, read, read ? createdAt : null, createdAt],
    );
    return id;
  }

  async session(userId: string, createdAt: Date, expiresAt: Date, revokedAt: Date | null): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, expires_at, revoked_at, revoked_reason) VALUES ($1, $2, $3, $3, $4, $5, $6)`,
      [id, userId, createdAt, expiresAt, revokedAt, revokedAt ? 'logout' : null],
    );
    return id;
  }

  async apiToken(userId: string, createdAt: Date, expiresAt: Date | null, revokedAt: Date | null): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO api_tokens (id, user_id, name, prefix, token_hash, created_at, expires_at, revoked_at) VALUES ($1, $2, 'test', $3, $4, $5, $6, $7)`,
      [id, userId, randomBytes(6).toString('hex'), randomBytes(32).toString('hex'), createdAt, expiresAt, revokedAt],
    );
    return id;
  }

  async mail(status: 'queued' | 'sent' | 'outbox' | 'failed', createdAt: Date, sentAt: Date | null, key = `test:${randomUUID()}`): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO mail_messages (id, idempotency_key, to_address, subject, text_body, status, created_at, sent_at) VALUES ($1, $2, 'someone@example.com', 'Hi', 'Body', $3, $4, $5)`,
      [id, key, status, createdAt, sentAt],
    );
    return id;
  }

  async backgroundJob(status: 'pending' | 'done' | 'failed', at: Date): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO background_jobs (id, queue, name, key, payload, status, attempts, run_at, created_at, finished_at)
       VALUES ($1, 'maintenance', 'maintenance.probe', $2, '{}', $3, 1, $4, $4, $5)`,
      [id, randomUUID(), status, at, status === 'pending' ? null : at],
    );
    return id;
  }

  async jobFailure(driver: string, failedAt: Date): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO job_failures (id, driver, queue, name, key, payload, attempts, error, failed_at) VALUES ($1, $2, 'maintenance', 'maintenance.probe', $3, '{}', 3, 'boom', $4)`,
      [id, driver, randomUUID(), failedAt],
    );
    return id;
  }

  /** Which of these ids are still in the table. */
  async remaining(table: string, ids: string[]): Promise<string[]> {
    const rows = await this.db.query<Array<{ id: string }>>(`SELECT id FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => r.id).sort();
  }
}

const drivers: Array<['bullmq' | 'in-process', boolean]> = [['in-process', true]];
if (usingRedis) drivers.push(['bullmq', false]);

describe.each(drivers)('retention on the %s driver', (driver, withoutRedis) => {
  let api: TestApp;
  let db: DataSource;
  let seed: Seeder;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    api = await startTestApp({
      withoutRedis,
      // A long interval: the only scheduled run is the one at start-up, so each test's run counts its own rows.
      // Mail to a closed port fails for good after JOB_ATTEMPTS (3) attempts.
      env: { ...periods(PERIOD_DAYS), RETENTION_INTERVAL_SECONDS: '3600', RETENTION_BATCH_SIZE: '2', SMTP_URL: 'smtp://127.0.0.1:1', JOB_BACKOFF_MS: '20' },
    });
    db = api.resolve(DataSource);
    seed = new Seeder(db);
    admin = await createUserWithRole(api, Role.Admin);
    user = await registerUser(api);
    // The schedule's first run (at start-up) has finished before the tests seed anything.
    await waitFor(async () => (await db.query<unknown[]>(`SELECT 1 FROM retention_runs WHERE trigger = 'schedule'`)).length > 0, 'the first scheduled run', 20_000);
  });
  afterAll(() => api?.close());

  it(`registers the schedule (${driver}): one per job, with the configured interval`, async () => {
    const queue = api.resolve(QueueService);
    expect(queue.driverKind).toBe(driver);
    if (driver === 'bullmq') {
      // Every process upserts the same scheduler: a second registration leaves one.
      await queue.schedule('maintenance.retention', {}, 3_600_000);
      const connection = new Redis(api.config.redis!.url, { maxRetriesPerRequest: null });
      const maintenance = new Queue('maintenance', { connection, prefix: `${api.config.redis!.prefix}:bull` });
      try {
        const schedulers = await maintenance.getJobSchedulers();
        expect(schedulers).toHaveLength(1);
        expect(schedulers[0]).toMatchObject({ key: 'maintenance.retention', name: 'maintenance.retention', every: 3_600_000 });
      } finally {
        await maintenance.close();
        await connection.quit();
      }
    } else {
      // One keyed job per interval slot: a second registration within the slot queues nothing more.
      await queue.schedule('maintenance.retention', {}, 3_600_000);
      const jobs = await db.query<Array<{ key: string }>>(`SELECT key FROM background_jobs WHERE name = 'maintenance.retention'`);
      expect(jobs.map((j) => j.key)).toEqual([`scheduled:${Math.floor(Date.now() / 3_600_000)}`]);
    }
  });

  it('removes exactly what is past its period and keeps the rest', async () => {
    const convPast = await seed.conversation(user.id, past(), past(), 3);
    const convEmptyPast = await seed.conversation(user.id, null, past());
    const convInside = await seed.conversation(user.id, inside(), past(), 2);
    const convNew = await seed.conversation(user.id, null, inside());

    const notePastRead = await seed.notification(user.id, past(), true);
    const notePastUnread = await seed.notification(user.id, past(), false);
    const noteInside = await seed.notification(user.id, inside(), false);

    const sessionRevokedPast = await seed.session(user.id, past(), future(), past());
    const sessionExpiredPast = await seed.session(user.id, past(), past(), null);
    const sessionRevokedInside = await seed.session(user.id, past(), future(), inside());
    const sessionExpiredInside = await seed.session(user.id, past(), inside(), null);
    const sessionActiveOld = await seed.session(user.id, past(), future(), null);

    const tokenRevokedPast = await seed.apiToken(user.id, past(), null, past());
    const tokenExpiredPast = await seed.apiToken(user.id, past(), past(), null);
    const tokenRevokedInside = await seed.apiToken(user.id, past(), null, inside());
    const tokenActiveOld = await seed.apiToken(user.id, past(), null, null);

    const mailSentPast = await seed.mail('sent', past(), past());
    const mailOutboxPast = await seed.mail('outbox', past(), past());
    const mailFailedPast = await seed.mail('failed', past(), null);
    const mailSentInside = await seed.mail('sent', past(), inside());
    const mailFailedInside = await seed.mail('failed', inside(), null);
    const mailPendingOld = await seed.mail('queued', past(), null);

    const failurePast = await seed.jobFailure(driver, past());
    const failureInside = await seed.jobFailure(driver, inside());
    const jobs = driver === 'in-process'
      ? { donePast: await seed.backgroundJob('done', past()), failedPast: await seed.backgroundJob('failed', past()), doneInside: await seed.backgroundJob('done', inside()), pendingOld: await seed.backgroundJob('pending', past()) }
      : null;

    const res = await api.post('/api/v1/admin/retention/run', {}, { token: admin.access });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      trigger: 'staff',
      deleted: {
        companion_conversations: 2,
        notifications: 2,
        auth_sessions: 2,
        api_tokens: 2,
        mail_messages: 3,
        job_records: jobs ? 3 : 1,
      },
    });

    expect(await seed.remaining('companion_conversations', [convPast, convEmptyPast, convInside, convNew])).toEqual([convInside, convNew].sort());
    const messagesLeft = await db.query<Array<{ conversation_id: string; n: number }>>(
      `SELECT conversation_id, count(*)::int AS n FROM companion_messages WHERE conversation_id = ANY($1::uuid[]) GROUP BY conversation_id`,
      [[convPast, convInside]],
    );
    expect(messagesLeft).toEqual([{ conversation_id: convInside, n: 2 }]);
    expect(await seed.remaining('notifications', [notePastRead, notePastUnread, noteInside])).toEqual([noteInside]);
    expect(await seed.remaining('auth_sessions', [sessionRevokedPast, sessionExpiredPast, sessionRevokedInside, sessionExpiredInside, sessionActiveOld])).toEqual(
      [sessionRevokedInside, sessionExpiredInside, sessionActiveOld].sort(),
    );
    expect(await seed.remaining('api_tokens', [tokenRevokedPast, tokenExpiredPast, tokenRevokedInside, tokenActiveOld])).toEqual([tokenRevokedInside, tokenActiveOld].sort());
    expect(await seed.remaining('mail_messages', [mailSentPast, mailOutboxPast, mailFailedPast, mailSentInside, mailFailedInside, mailPendingOld])).toEqual(
      [mailSentInside, mailFailedInside, mailPendingOld].sort(),
    );
    expect(await seed.remaining('job_failures', [failurePast, failureInside])).toEqual([failureInside]);
    if (jobs) {
      expect(await seed.remaining('background_jobs', Object.values(jobs))).toEqual([jobs.doneInside, jobs.pendingOld].sort());
    }

    // The user still signs in: their live session and account are untouched.
    expect((await api.get('/api/v1/users/me', { token: user.access })).status).toBe(200);
  });

  it('keeps a sent email while its owner still needs the idempotency record', async () => {
    const needed = `test-keep:${randomUUID()}`;
    const done = `test-keep:${randomUUID()}`;
    api.resolve(MailService).retainWhile('test-keep:', (keys) => Promise.resolve(new Set(keys.filter((key) => key === needed))));
    const keptId = await seed.mail('sent', past(), past(), needed);
    const goneId = await seed.mail('sent', past(), past(), done);

    const res = await api.post('/api/v1/admin/retention/run', {}, { token: admin.access });
    expect(res.status).toBe(200);
    expect(res.body.data.deleted.mail_messages).toBe(1);
    expect(await seed.remaining('mail_messages', [keptId, goneId])).toEqual([keptId]);
  });

  it('marks an email failed after its last attempt, and deletes it only past the period', async () => {
    const mailId = await api.resolve(MailService).send({ to: 'nobody@example.com', subject: 'Hi', text: 'Body', idempotencyKey: `test-fail:${randomUUID()}`, userIds: [] });
    await waitFor(async () => {
      const rows = await db.query<Array<{ status: string }>>(`SELECT status FROM mail_messages WHERE id = $1`, [mailId]);
      return rows[0]?.status === 'failed';
    }, 'the mail to fail for good', 20_000);

    expect((await api.post('/api/v1/admin/retention/run', {}, { token: admin.access })).body.data.deleted.mail_messages).toBe(0);
    expect(await seed.remaining('mail_messages', [mailId])).toEqual([mailId]);

    await db.query(`UPDATE mail_messages SET created_at = $2 WHERE id = $1`, [mailId, past()]);
    expect((await api.post('/api/v1/admin/retention/run', {}, { token: admin.access })).body.data.deleted.mail_messages).toBe(1);
    expect(await seed.remaining('mail_messages', [mailId])).toEqual([]);
  });

  it('deletes a finished job of the driver only once it finished before the cutoff', async () => {
    const queue = api.resolve(QueueService);
    const probeId = randomUUID();
    const connection = driver === 'bullmq' ? new Redis(api.config.redis!.url, { maxRetriesPerRequest: null }) : null;
    const maintenance = connection ? new Queue('maintenance', { connection, prefix: `${api.config.redis!.prefix}:bull` }) : null;
    const state = async (): Promise<string | null> => {
      if (maintenance) {
        const job = await maintenance.getJob(`maintenance.probe.${probeId}`);
        return job ? await job.getState() : null;
      }
      const rows = await db.query<Array<{ status: string }>>(`SELECT status FROM background_jobs WHERE name = 'maintenance.probe' AND key = $1`, [probeId]);
      return rows[0]?.status ?? null;
    };
    try {
      await queue.enqueue('maintenance.probe', { probeId }, { key: probeId });
      await waitFor(async () => ['completed', 'done'].includes((await state()) ?? ''), 'the probe job to finish');
      // Finished a moment ago: a cutoff a minute back keeps it, a cutoff a minute ahead takes it.
      await queue.deleteFinishedBefore(new Date(Date.now() - 60_000), 1000);
      expect(await state()).not.toBeNull();
      expect(await queue.deleteFinishedBefore(new Date(Date.now() + 60_000), 1000)).toBeGreaterThan(0);
      expect(await state()).toBeNull();
    } finally {
      await maintenance?.close();
      await connection?.quit();
    }
  });

  it('shows the periods and the last run to admins only, and audits a run', async () => {
    const run = await api.post('/api/v1/admin/retention/run', {}, { token: admin.access });
    expect(run.status).toBe(200);
    const status = await api.get('/api/v1/admin/retention', { token: admin.access });
    expect(status.status).toBe(200);
    expect(status.body.data).toEqual({
      periods: { companion_days: 10, notifications_days: 10, sessions_days: 10, mail_days: 10, job_records_days: 10 },
      interval_seconds: 3600,
      batch_size: 2,
      last_run: run.body.data,
    });

    const manager = await createUserWithRole(api, Role.Manager);
    for (const who of [user, manager]) {
      expect((await api.get('/api/v1/admin/retention', { token: who.access })).status).toBe(403);
      expect((await api.post('/api/v1/admin/retention/run', {}, { token: who.access })).status).toBe(403);
    }
    expect((await api.post('/api/v1/admin/retention/run', {})).status).toBe(401);

    const audit = await api.get(`/api/v1/admin/audit-log?action=retention.run&actor_id=${admin.id}&page_size=100`, { token: admin.access });
    expect(audit.status).toBe(200);
    const entry = audit.body.data.find((e: { target_id: string }) => e.target_id === run.body.data.id);
    expect(entry).toMatchObject({ action: 'retention.run', target_type: 'retention_run', detail: { deleted: run.body.data.deleted } });
  });
});

describe('retention in process, on its own', () => {
  let api: TestApp;
  let db: DataSource;
  let seed: Seeder;

  beforeAll(async () => {
    // A one-second interval, and companion transcripts kept for ever (period 0).
    api = await startTestApp({ withoutRedis: true, env: { ...periods(PERIOD_DAYS), RETENTION_COMPANION_DAYS: '0', RETENTION_INTERVAL_SECONDS: '1' } });
    db = api.resolve(DataSource);
    seed = new Seeder(db);
  });
  afterAll(() => api?.close());

  it('runs by itself every interval, and keeps a kind whose period is 0', async () => {
    const user = await registerUser(api);
    const conversation = await seed.conversation(user.id, past(), past(), 1);
    const stale = await seed.notification(user.id, past(), true);
    const fresh = await seed.notification(user.id, inside(), true);
    const seededAt = new Date();

    await waitFor(async () => (await seed.remaining('notifications', [stale])).length === 0, 'a scheduled run to delete the stale notification', 20_000);
    expect(await seed.remaining('notifications', [fresh])).toEqual([fresh]);
    expect(await seed.remaining('companion_conversations', [conversation])).toEqual([conversation]);

    const runs = await waitFor(async () => {
      const rows = await db.query<Array<{ trigger: string; deleted: Record<string, number | null> }>>(
        `SELECT trigger, deleted FROM retention_runs WHERE started_at > $1 ORDER BY started_at`,
        [seededAt],
      );
      return rows.length >= 2 ? rows : null;
    }, 'two scheduled runs', 20_000);
    for (const run of runs) expect(run).toMatchObject({ trigger: 'schedule', deleted: { companion_conversations: null } });
  });

  it('keeps an alarm email while its delivery is still queued (its row stops a second email)', async () => {
    const user = await registerUser(api, { first_name: 'Sam', last_name: 'Porter' });
    const brother = `tom-${randomUUID()}@example.org`;
    const therapist = `dr-lee-${randomUUID()}@example.org`;
    expect((await api.post('/api/v1/emergency-contacts', { name: 'Tom', phone: '+14155552671', email: brother, relationship: 'brother' }, { token: user.access })).status).toBe(201);
    expect([200, 201]).toContain((await api.put('/api/v1/therapist-contact', { name: 'Dr. Lee', phone: '+14155552673', email: therapist }, { token: user.access })).status);
    expect((await api.post('/api/v1/alarms', {}, { token: user.access })).status).toBe(201);

    // Without SMTP the emails go to the outbox; then each delivery is marked sent.
    const mailTo = async (to: string): Promise<{ id: string; key: string } | null> => {
      const rows = await db.query<Array<{ id: string; key: string }>>(`SELECT id, idempotency_key AS key FROM mail_messages WHERE to_address = $1 AND status = 'outbox'`, [to]);
      return rows[0] ?? null;
    };
    const deliveryOf = (mail: { key: string }): string => mail.key.replace('alarm-delivery:', '');
    const [toBrother, toTherapist] = await waitFor(async () => {
      const both = [await mailTo(brother), await mailTo(therapist)];
      if (!both[0] || !both[1]) return null;
      const sent = await db.query<unknown[]>(`SELECT 1 FROM alarm_deliveries WHERE id = ANY($1::uuid[]) AND status = 'sent'`, [both.map((m) => deliveryOf(m!))]);
      return sent.length === 2 ? (both as Array<{ id: string; key: string }>) : null;
    }, 'both alarm emails to be sent');

    // The brother's delivery as after a crash between the SMTP server's acceptance and the delivery's record: still queued.
    await db.query(`UPDATE alarm_deliveries SET status = 'queued' WHERE id = $1`, [deliveryOf(toBrother)]);
    await db.query(`UPDATE mail_messages SET sent_at = $2 WHERE id = ANY($1::uuid[])`, [[toBrother.id, toTherapist.id], past()]);
    await waitFor(async () => (await seed.remaining('mail_messages', [toTherapist.id])).length === 0, 'the therapist email (delivery sent) to be deleted', 20_000);
    expect(await seed.remaining('mail_messages', [toBrother.id])).toEqual([toBrother.id]);

    await db.query(`UPDATE alarm_deliveries SET status = 'sent' WHERE id = $1`, [deliveryOf(toBrother)]);
    await waitFor(async () => (await seed.remaining('mail_messages', [toBrother.id])).length === 0, 'the brother email to be deleted once its delivery is sent', 20_000);
  });
});
