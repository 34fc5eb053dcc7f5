import { UsersService } from 'src/modules/users/users.service';
import { DataSource } from 'typeorm';
import { ConventionsProbeModule } from './support/conventions-probe.module';
import { createTestConfig, usingRedis } from './support/test-env';
import { ApiResponse, startTestApp, TestApp } from './support/test-app';
import { registerUser } from './support/users';
import { waitFor } from './support/wait';

const limits = { RATE_LIMIT_AUTH: '10', RATE_LIMIT_GENERAL: '30' };

describe('rate limits (in-memory counters)', () => {
  let api: TestApp;

  // An app (and so fresh in-memory budgets) per test: each counts only its own requests.
  beforeEach(async () => {
    api = await startTestApp({ withoutRedis: true, extraModules: [ConventionsProbeModule], env: limits });
  });
  afterEach(() => api?.close());

  it('answers the 11th auth-tier request within a minute with 429 and Retry-After', async () => {
    for (let i = 0; i < 10; i++) expect((await api.post('/api/v1/test-probe/login-like')).status).toBe(201);
    const limited = await api.post('/api/v1/test-probe/login-like');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ success: false, code: 'COMMON.RATE_LIMITED', request_id: expect.any(String) });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts tiers separately: general routes still answer when the auth tier is spent', async () => {
    for (let i = 0; i < 11; i++) await api.post('/api/v1/test-probe/login-like');
    expect((await api.post('/api/v1/test-probe/login-like')).status).toBe(429);
    expect((await api.post('/api/v1/test-probe/echo', { name: 'x' })).status).toBe(201);
  });

  it('limits the general tier at its own threshold', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await api.post('/api/v1/test-probe/echo', { name: 'x' })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.indexOf(429)).toBe(30);
  });

  it('shares one budget across all routes of a tier', async () => {
    const other = await startTestApp({ withoutRedis: true, extraModules: [ConventionsProbeModule], env: { RATE_LIMIT_GENERAL: '6' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await other.post('/api/v1/test-probe/echo', { name: 'x' })).status);
      for (let i = 0; i < 3; i++) statuses.push((await other.get('/api/v1/test-probe/mails')).status);
      expect(statuses).toEqual([201, 201, 201, 201, 200, 200, 429]);
    } finally {
      await other.close();
    }
  });

  it('exempts health probes', async () => {
    for (let i = 0; i < 40; i++) expect((await api.get('/health')).status).toBe(200);
  });
});

describe('rate-limit headers', () => {
  let api: TestApp;

  // An app (and so a fresh in-memory budget) per test: the counts are each test's own.
  beforeEach(async () => {
    api = await startTestApp({ withoutRedis: true, extraModules: [ConventionsProbeModule], env: { RATE_LIMIT_GENERAL: '5', RATE_LIMIT_WINDOW_SECONDS: '60' } });
  });
  afterEach(() => api?.close());

  const limitHeaders = (response: { headers: Headers }): { limit: number; remaining: number; reset: number } => ({
    limit: Number(response.headers.get('ratelimit-limit')),
    remaining: Number(response.headers.get('ratelimit-remaining')),
    reset: Number(response.headers.get('ratelimit-reset')),
  });

  it('are on successes and on client errors, and count down', async () => {
    const ok = await api.get('/api/v1/test-probe/mails');
    expect(ok.status).toBe(200);
    expect(limitHeaders(ok)).toEqual({ limit: 5, remaining: 4, reset: expect.any(Number) });
    expect(limitHeaders(ok).reset).toBeGreaterThan(0);
    expect(limitHeaders(ok).reset).toBeLessThanOrEqual(60);

    const invalid = await api.post('/api/v1/test-probe/echo', { name: 42 });
    expect(invalid.status).toBe(400);
    expect(limitHeaders(invalid)).toMatchObject({ limit: 5, remaining: 3 });
    expect(limitHeaders(invalid).reset).toBeLessThanOrEqual(limitHeaders(ok).reset);
  });

  it('say 0 remaining on a 429, next to Retry-After', async () => {
    for (let i = 0; i < 5; i++) expect((await api.get('/api/v1/test-probe/mails')).status).toBe(200);
    const limited = await api.get('/api/v1/test-probe/mails');
    expect(limited.status).toBe(429);
    expect(limitHeaders(limited)).toMatchObject({ limit: 5, remaining: 0 });
    expect(limitHeaders(limited).reset).toBe(Number(limited.headers.get('retry-after')));
  });

  it('are not on exempt routes', async () => {
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('ratelimit-limit')).toBeNull();
  });
});

// Only meaningful with Redis: the zero-setup run has a single node by design.
if (usingRedis) describe('rate limits shared through Redis by two API nodes', () => {
  let nodeA: TestApp;
  let nodeB: TestApp;

  beforeAll(async () => {
    const config = await createTestConfig({ env: limits });
    nodeA = await startTestApp({ config, extraModules: [ConventionsProbeModule] });
    nodeB = await startTestApp({ config, extraModules: [ConventionsProbeModule] });
  });
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
  });

  it('holds the limit across nodes', async () => {
    for (let i = 0; i < 5; i++) expect((await nodeA.post('/api/v1/test-probe/login-like')).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await nodeB.post('/api/v1/test-probe/login-like')).status).toBe(201);
    const limited = await nodeA.post('/api/v1/test-probe/login-like');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await nodeB.post('/api/v1/test-probe/login-like')).status).toBe(429);
  });
});

describe('the premium rate tier', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ env: { RATE_LIMIT_GENERAL: '10', RATE_LIMIT_PREMIUM_MULTIPLIER: '5' } });
  });
  afterAll(() => api?.close());

  const limitOf = (response: { headers: Headers }): number => Number(response.headers.get('ratelimit-limit'));

  it('raises the general limit as soon as the account’s plan grants it, and lowers it again', async () => {
    const user = await registerUser(api);
    const me = (): Promise<ApiResponse> => api.get('/api/v1/users/me', { token: user.access });
    const first = await me();
    expect(first.status).toBe(200);
    expect(limitOf(first)).toBe(10);
    expect(first.body.data.subscription_status).toBe('none');

    // What the payments module does when a premium subscription becomes active.
    const users = api.resolve(UsersService);
    const dataSource = api.resolve(DataSource);
    await dataSource.transaction((manager) => users.applySubscription(user.id, { subscriptionStatus: 'active', rateTier: 'premium' }, manager));
    // The principal cache drops the user on the database's change notice: the next requests see the new tier.
    const upgraded = await waitFor(async () => {
      const response = await me();
      return limitOf(response) === 50 ? response : null;
    }, 'the premium limit', 3_000, 20);
    expect(upgraded.body.data.subscription_status).toBe('active');
    expect(Number(upgraded.headers.get('ratelimit-remaining'))).toBeGreaterThan(35);

    await dataSource.transaction((manager) => users.applySubscription(user.id, { subscriptionStatus: 'cancelled', rateTier: 'standard' }, manager));
    const downgraded = await waitFor(async () => {
      const response = await me();
      return limitOf(response) === 10 ? response : null;
    }, 'the standard limit again', 3_000, 20);
    expect(downgraded.body.data.subscription_status).toBe('cancelled');
  });
});
