import { randomUUID } from 'node:crypto';
import { JobFailure, JobProbeRun } from 'src/infrastructure/queue/job.entities';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { DataSource } from 'typeorm';
import { Role } from 'src/common/access/permissions';
import { createUserWithRole, registerUser } from './support/users';
import { startTestApp, TestApp } from './support/test-app';
import { usingRedis } from './support/test-env';
import { sleep, waitFor } from './support/wait';

const drivers: Array<['bullmq' | 'in-process', boolean]> = [['in-process', true]];
if (usingRedis) drivers.push(['bullmq', false]);

describe.each(drivers)('jobs on the %s driver', (driver, withoutRedis) => {
  let api: TestApp;
  let queue: QueueService;
  let dataSource: DataSource;
  const runsOf = (probeId: string) => dataSource.getRepository(JobProbeRun).find({ where: { probeId }, order: { attempt: 'ASC' } });

  beforeAll(async () => {
    api = await startTestApp({ withoutRedis, env: { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '100' } });
    queue = api.resolve(QueueService);
    dataSource = api.resolve(DataSource);
  });
  afterAll(() => api?.close());

  it('uses the expected driver', () => {
    expect(queue.driverKind).toBe(driver);
  });

  it('runs a job exactly once, even when queued twice with the same key', async () => {
    const probeId = randomUUID();
    await Promise.all([
      queue.enqueue('maintenance.probe', { probeId }, { key: probeId }),
      queue.enqueue('maintenance.probe', { probeId }, { key: probeId }),
    ]);
    await queue.enqueue('maintenance.probe', { probeId }, { key: probeId });
    await waitFor(async () => (await runsOf(probeId)).length > 0, 'the probe to run');
    await sleep(1_000);
    const runs = await runsOf(probeId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ attempt: 1, succeeded: true });
  });

  it('retries a failing job with growing backoff until it succeeds', async () => {
    const probeId = randomUUID();
    await queue.enqueue('maintenance.probe', { probeId, failTimes: 2 }, { key: probeId });
    const runs = await waitFor(async () => {
      const r = await runsOf(probeId);
      return r.length === 3 ? r : null;
    }, 'three attempts');
    expect(runs.map((r) => [r.attempt, r.succeeded])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const firstGap = runs[1].ranAt.getTime() - runs[0].ranAt.getTime();
    const secondGap = runs[2].ranAt.getTime() - runs[1].ranAt.getTime();
    expect(firstGap).toBeGreaterThanOrEqual(90);
    expect(secondGap).toBeGreaterThanOrEqual(190);
    expect(await dataSource.getRepository(JobFailure).countBy({ key: probeId })).toBe(0);
  });

  it('records the final failure after the last attempt', async () => {
    const probeId = randomUUID();
    await queue.enqueue('maintenance.probe', { probeId, failTimes: 99 }, { key: probeId });
    const failure = await waitFor(() => dataSource.getRepository(JobFailure).findOneBy({ key: probeId }), 'the failure record');
    expect(failure).toMatchObject({ driver, queue: 'maintenance', name: 'maintenance.probe', attempts: 3, payload: { probeId, failTimes: 99 } });
    expect(failure.error).toContain('failing on purpose (attempt 3)');
    await sleep(500);
    expect(await runsOf(probeId)).toHaveLength(3);
  });

  it('shows final failures to staff, and only to staff', async () => {
    // Its own failure, so the test does not rely on another having run first.
    const probeId = randomUUID();
    await queue.enqueue('maintenance.probe', { probeId, failTimes: 99 }, { key: probeId });
    await waitFor(() => dataSource.getRepository(JobFailure).findOneBy({ key: probeId }), 'the failure record');
    const manager = await createUserWithRole(api, Role.Manager);
    const client = await registerUser(api);
    const res = await api.get('/api/v1/admin/jobs/failures?queue=maintenance', { token: manager.access });
    expect(res.status).toBe(200);
    expect(res.body.pagination.count).toBeGreaterThan(0);
    expect(res.body.data[0]).toMatchObject({ driver, queue: 'maintenance', name: 'maintenance.probe', attempts: 3, error: expect.stringContaining('failing on purpose') });
    expect((await api.get('/api/v1/admin/jobs/failures', { token: client.access })).status).toBe(403);
    expect((await api.get('/api/v1/admin/jobs/failures?queue=nope', { token: manager.access })).status).toBe(400);
  });

  it('reports queue health', async () => {
    await expect(queue.health()).resolves.toMatchObject({ driver, status: 'healthy' });
  });
});
