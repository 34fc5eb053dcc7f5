import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { JobProbeRun } from 'src/infrastructure/queue/job.entities';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { DataSource } from 'typeorm';
import { Role } from 'src/common/access/permissions';
import { book, bookableProvider, hoursFromNow } from './support/providers';
import { buildScripts } from './support/scripts';
import { collect, connectSocket } from './support/sockets';
import { createTestConfig, usingRedis } from './support/test-env';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser } from './support/users';
import { sleep, waitFor } from './support/wait';

// The separate worker exists for the Redis shape (BullMQ); without Redis jobs run in the API.
if (usingRedis) {
  describe('npm run start:worker: a separate worker process runs the jobs the API queues', () => {
    let api: TestApp;
    let worker: ChildProcess;
    let build: ReturnType<typeof buildScripts>;
    let output = '';

    beforeAll(async () => {
      const config = await createTestConfig({ env: { JOBS_RUN_IN_API: 'false' } });
      api = await startTestApp({ config });
      build = buildScripts();
      if (config.database.kind !== 'postgres') throw new Error('the worker test needs the test PostgreSQL');
      worker = spawn(process.execPath, [`${build.dir}/src/worker.js`], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          DATABASE_URL: config.database.url,
          REDIS_URL: config.redis!.url,
          REDIS_PREFIX: config.redis!.prefix,
          DATA_DIR: 'memory://',
          JOB_BACKOFF_MS: '50',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      worker.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      worker.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      await waitFor(async () => output.includes('running (BullMQ)'), 'the worker to start', 30_000, 100);
    });
    afterAll(async () => {
      worker?.kill('SIGTERM');
      await new Promise((r) => (worker && worker.exitCode === null ? worker.once('exit', r) : r(null)));
      build?.remove();
      await api?.close();
    });

    it('the API only enqueues; the worker runs the job exactly once', async () => {
      const probeId = randomUUID();
      await api.resolve(QueueService).enqueue('maintenance.probe', { probeId }, { key: probeId });
      const runs = () => api.resolve(DataSource).getRepository(JobProbeRun).findBy({ probeId });
      await waitFor(async () => (await runs()).length > 0, 'the worker to run the probe', 15_000);
      await sleep(500);
      expect(await runs()).toHaveLength(1);
      expect(output).toContain('processing jobs with the bullmq driver');
    });

    it('what a job in the worker publishes reaches the user’s socket on the API', async () => {
      const admin = await createUserWithRole(api, Role.Admin);
      const provider = await bookableProvider(api, admin);
      const client = await registerUser(api);
      const socket = await connectSocket(api.url, client.access);
      try {
        const reminders = collect(socket, 'session_reminder');
        const booked = await book(api, client, { friend_id: provider.id, type: 'text', scheduled_at: hoursFromNow(3), duration_minutes: 30 });
        expect(booked.status).toBe(201);
        // Two to three hours ahead (hoursFromNow rounds down to the hour), so the 15-minute reminder is scheduled;
        // it is made due now and run by the worker (the API only enqueues).
        const db = api.resolve(DataSource);
        const [reminder] = await db.query<Array<{ id: string }>>(`SELECT id FROM session_reminders WHERE session_id = $1 AND offset_minutes = 15`, [booked.body.data.id]);
        await db.query(`UPDATE session_reminders SET due_at = now() - interval '5 seconds' WHERE id = $1`, [reminder.id]);
        await api.resolve(QueueService).enqueue('session.remind', { reminderId: reminder.id }, { key: `worker-test:${reminder.id}` });
        await waitFor(async () => reminders.length > 0, 'the reminder event from the worker', 15_000);
        expect(reminders[0]).toMatchObject({ session_id: booked.body.data.id, reminder_id: reminder.id, minutes_before: 15 });
      } finally {
        socket.disconnect();
      }
    });
  });
}

describe('npm run start:worker without Redis', () => {
  let build: ReturnType<typeof buildScripts>;

  beforeAll(() => {
    build = buildScripts();
  });
  afterAll(() => build?.remove());

  it('refuses to start without REDIS_URL, saying why', async () => {
    const lone = spawn(process.execPath, [`${build.dir}/src/worker.js`], { env: { PATH: process.env.PATH ?? '', DATA_DIR: 'memory://' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    lone.stderr.on('data', (d: Buffer) => (text += d.toString()));
    const code = await new Promise((r) => lone.once('exit', r));
    expect(code).toBe(1);
    expect(text).toContain('The worker needs REDIS_URL');
  });
});
