import { createTestConfig, createTestDatabase, usingRealPostgres } from './support/test-env';
import { startTestApp, TestApp } from './support/test-app';
import { TcpProxy } from './support/tcp-proxy';
import { Role } from 'src/common/access/permissions';
import { EmbeddedPostgres } from 'src/infrastructure/database/embedded-postgres';
import { createUserWithRole, registerUser } from './support/users';

const METRICS_TOKEN = 'scrape-token-0123456789';

describe('health and monitoring', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ env: { METRICS_TOKEN } });
  });
  afterAll(() => api?.close());

  it('GET /health answers {status, timestamp, version}', async () => {
    const res = await api.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'healthy', timestamp: expect.any(String), version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(new Date(res.body.timestamp).toISOString()).toBe(res.body.timestamp);
  });

  it('GET /status reports database, cache and queue', async () => {
    const res = await api.get('/status');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'healthy', database: 'healthy', timestamp: expect.any(String) });
    if (api.config.redis) {
      expect(res.body.cache).toBe('healthy');
      expect(res.body.queue).toMatchObject({ driver: 'bullmq', status: 'healthy' });
    } else {
      expect(res.body.cache).toBe('not configured');
      expect(res.body.queue).toMatchObject({ driver: 'in-process', status: 'healthy' });
    }
  });

  it('GET /metrics needs a signed-in staff member', async () => {
    const res = await api.get('/metrics');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('COMMON.UNAUTHENTICATED');
  });

  it('GET /metrics gives staff per-route timings; clients are refused', async () => {
    const manager = await createUserWithRole(api, Role.Manager);
    const client = await registerUser(api);
    await api.get('/health');
    const res = await api.get('/metrics', { token: manager.access });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ metrics: expect.any(Object), timestamp: expect.any(String) });
    expect(res.body.metrics['GET /health']).toEqual({
      average_duration_ms: expect.any(Number),
      request_count: expect.any(Number),
      last_request: expect.any(String),
    });
    expect(res.body.metrics['GET /health'].request_count).toBeGreaterThan(0);
    expect(Object.keys(res.body.metrics).some((k) => /\/users\/:id|\/chats\/:id/.test(k) || k.startsWith('POST /api/v1/auth'))).toBe(true);
    const refused = await api.get('/metrics', { token: client.access });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('COMMON.FORBIDDEN');
  });

  it('serves Prometheus metrics only with the configured token', async () => {
    await api.get('/api/v1/nothing-here');
    await api.get('/health');
    expect((await api.get('/metrics/prometheus')).status).toBe(401);
    expect((await api.get('/metrics/prometheus', { headers: { authorization: 'Bearer wrong-token-0000000000' } })).status).toBe(401);
    const res = await api.get('/metrics/prometheus', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/haven_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/);
    expect(res.text).toContain('haven_process_cpu_user_seconds_total');
  });

  it('disables the Prometheus endpoint when no token is configured', async () => {
    const other = await startTestApp({ embedded: true, withoutRedis: true });
    try {
      const res = await other.get('/metrics/prometheus', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('METRICS.DISABLED');
    } finally {
      await other.close();
    }
  });
});

describe('status when the database goes away', () => {
  let api: TestApp;
  let proxy: TcpProxy;
  let embedded: EmbeddedPostgres | null = null;

  beforeAll(async () => {
    // The app reaches its database through a proxy the test can cut.
    let target: URL;
    if (usingRealPostgres) {
      target = new URL(await createTestDatabase());
    } else {
      embedded = await EmbeddedPostgres.start('memory://', 5);
      target = new URL(embedded.url);
    }
    proxy = new TcpProxy(target.hostname, Number(target.port));
    const port = await proxy.start();
    target.hostname = '127.0.0.1';
    target.port = String(port);
    api = await startTestApp({ config: await createTestConfig({ env: { DATABASE_URL: target.toString() } }) });
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await api?.close();
    await proxy?.cut();
    await embedded?.stop();
  });

  it('answers 503 with database unhealthy, keeps serving, and recovers', async () => {
    expect((await api.get('/status')).body.database).toBe('healthy');
    await proxy.cut();
    const down = await api.get('/status');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unhealthy', database: 'unhealthy' });
    const alive = await api.get('/health');
    expect(alive.status).toBe(200);
    await proxy.restore();
    let recovered = 0;
    for (let i = 0; i < 20 && recovered !== 200; i++) {
      recovered = (await api.get('/status')).status;
      if (recovered !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(recovered).toBe(200);
  });
});
