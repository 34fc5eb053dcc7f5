import { ROOT_LOGGER } from 'src/infrastructure/logging/root-logger';
import { MailMessage } from 'src/infrastructure/mail/mail-message.entity';
import { pino, type Logger } from 'pino';
import { waitFor } from './support/wait';
import { DataSource } from 'typeorm';
import { ConventionsProbeModule, PAGINATION_PROBE_ADDRESS } from './support/conventions-probe.module';
import { startTestApp, TestApp } from './support/test-app';

const expectErrorEnvelope = (body: any, code: string): void => {
  expect(body).toMatchObject({ success: false, code });
  expect(typeof body.message).toBe('string');
  expect(body.request_id).toEqual(expect.any(String));
  expect(body.errors).toEqual(expect.any(Object));
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+|stack/i);
};

describe('HTTP conventions', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ extraModules: [ConventionsProbeModule], env: { BODY_LIMIT_BYTES: '2048', LOG_REQUEST_IDS: 'true' } });
  });
  afterAll(() => api?.close());

  it('wraps success in the envelope and echoes the request id header', async () => {
    const res = await api.post('/api/v1/test-probe/echo', { name: 'Ada', age: 36 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ success: true, data: { name: 'Ada', age: 36 } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one access line per request, and with LOG_REQUEST_IDS a line logged while serving it carries its request id', async () => {
    const root = api.resolve<Logger>(ROOT_LOGGER);
    const lines: Array<Record<string, any>> = [];
    const capture = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    jest.spyOn(root, 'child').mockImplementation((bindings) => capture.child(bindings));
    // As at LOG_LEVEL=info (the tests run quieter), without writing the lines anywhere.
    jest.spyOn(root, 'isLevelEnabled').mockReturnValue(true);
    const access = jest.spyOn(root, 'info').mockImplementation(() => undefined);
    for (const [method, path] of [['GET', '/api/v1/test-probe/log?secret=query'], ['POST', '/api/v1/test-probe/log']]) {
      const res = await api.request(method, path, method === 'POST' ? { body: { name: 'Ada' } } : {});
      expect(res.status).toBe(method === 'POST' ? 201 : 200);
      const requestId = res.headers.get('x-request-id');
      expect(lines.filter((l) => l.request_id === requestId).map((l) => [l.context, l.msg])).toEqual([['Probe', method === 'POST' ? 'probe line for Ada' : 'probe line']]);
      // The access line is written once the response has gone out.
      const [line, message] = await waitFor(async () => access.mock.calls.find(([l]) => (l as any).request_id === requestId), 'the access line');
      expect(message).toBe('request completed');
      expect(line).toEqual({
        request_id: requestId,
        req: { method, url: '/api/v1/test-probe/log', user_agent: expect.any(String), remote_address: '127.0.0.1' },
        res: { status: res.status },
        responseTime: expect.any(Number),
      });
    }
    // A request that logs nothing of its own makes no request logger.
    lines.length = 0;
    await api.get('/api/v1/test-probe/mails');
    expect(lines).toEqual([]);
    jest.restoreAllMocks();
  });

  it('answers an unknown route with 404 in the error envelope', async () => {
    const res = await api.get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expectErrorEnvelope(res.body, 'COMMON.ROUTE_NOT_FOUND');
    expect(res.body.request_id).toBe(res.headers.get('x-request-id'));
  });

  it('keeps a well-formed incoming X-Request-Id', async () => {
    const res = await api.get('/api/v1/no-such-thing', { headers: { 'x-request-id': 'trace-abc-12345' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-12345');
    expect(res.body.request_id).toBe('trace-abc-12345');
  });

  it('answers malformed JSON with 400 COMMON.MALFORMED_JSON', async () => {
    const res = await api.request('POST', '/api/v1/test-probe/echo', { rawBody: '{"name": "Ada",', contentType: 'application/json' });
    expect(res.status).toBe(400);
    expectErrorEnvelope(res.body, 'COMMON.MALFORMED_JSON');
  });

  it('rejects an unknown field, naming it', async () => {
    const res = await api.post('/api/v1/test-probe/echo', { name: 'Ada', role: 'admin' });
    expect(res.status).toBe(400);
    expectErrorEnvelope(res.body, 'COMMON.VALIDATION_FAILED');
    expect(res.body.errors.role).toEqual(['role is not an accepted field']);
  });

  it('names each invalid field, nested ones by path', async () => {
    const res = await api.post('/api/v1/test-probe/echo', { age: -1, address: { city: 7 } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(['address.city', 'age', 'name']);
    expect(res.body.errors.age[0]).toMatch(/age must not be less than 0/);
  });

  it('answers an oversized body with 413', async () => {
    const res = await api.post('/api/v1/test-probe/echo', { name: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expectErrorEnvelope(res.body, 'COMMON.PAYLOAD_TOO_LARGE');
  });

  it('answers a wrong content type with 415', async () => {
    const res = await api.request('POST', '/api/v1/test-probe/echo', { rawBody: 'name=Ada', contentType: 'text/csv' });
    expect(res.status).toBe(415);
    expectErrorEnvelope(res.body, 'COMMON.UNSUPPORTED_MEDIA_TYPE');
  });

  it('hides internal errors: 500 with a code and request id, no detail', async () => {
    const res = await api.get('/api/v1/test-probe/boom');
    expect(res.status).toBe(500);
    expectErrorEnvelope(res.body, 'COMMON.INTERNAL');
    expect(res.text).not.toContain('secret internal detail');
    expect(res.text).not.toContain('SELECT');
  });

  it('refuses a permission route without credentials (401 in the envelope)', async () => {
    const res = await api.get('/api/v1/test-probe/staff-only');
    expect(res.status).toBe(401);
    expectErrorEnvelope(res.body, 'COMMON.UNAUTHENTICATED');
  });

  describe('pagination', () => {
    beforeAll(async () => {
      const mails = api.resolve(DataSource).getRepository(MailMessage);
      await mails.insert(
        Array.from({ length: 45 }, (_, i) => ({
          idempotencyKey: `page-${i}`,
          toAddress: PAGINATION_PROBE_ADDRESS,
          subject: `subject ${String(i).padStart(2, '0')}${i % 10 === 0 ? ' special' : ''}`,
          textBody: 'x',
        })),
      );
    });

    it('gives count, pages and links on the first page', async () => {
      const res = await api.get('/api/v1/test-probe/mails?page_size=20');
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(20);
      expect(res.body.data[0].subject).toBe('subject 00 special');
      expect(res.body.pagination).toMatchObject({ count: 45, page: 1, page_size: 20, total_pages: 3, previous: null });
      expect(new URL(res.body.pagination.next).searchParams.get('page')).toBe('2');
      expect(new URL(res.body.pagination.next).searchParams.get('page_size')).toBe('20');
    });

    it('is right on the last page: no next', async () => {
      const res = await api.get('/api/v1/test-probe/mails?page_size=20&page=3');
      expect(res.body.data).toHaveLength(5);
      expect(res.body.pagination).toMatchObject({ count: 45, page: 3, total_pages: 3, next: null });
      expect(new URL(res.body.pagination.previous).searchParams.get('page')).toBe('2');
    });

    it('has no next on an exactly full last page', async () => {
      const res = await api.get('/api/v1/test-probe/mails?page_size=15&page=3');
      expect(res.body.data).toHaveLength(15);
      expect(res.body.pagination).toMatchObject({ total_pages: 3, next: null });
    });

    it('orders descending with -field and searches', async () => {
      const desc = await api.get('/api/v1/test-probe/mails?ordering=-subject&page_size=1');
      expect(desc.body.data[0].subject).toBe('subject 44');
      const found = await api.get('/api/v1/test-probe/mails?search=special');
      expect(found.body.pagination.count).toBe(5);
    });

    it('filters by date range', async () => {
      const future = await api.get(`/api/v1/test-probe/mails?date_after=${new Date(Date.now() + 3_600_000).toISOString()}`);
      expect(future.body.pagination.count).toBe(0);
      const past = await api.get(`/api/v1/test-probe/mails?date_before=${new Date(Date.now() + 3_600_000).toISOString()}`);
      expect(past.body.pagination.count).toBe(45);
    });

    it('rejects page_size over 100, an unknown ordering and a bad date', async () => {
      const big = await api.get('/api/v1/test-probe/mails?page_size=101');
      expect(big.status).toBe(400);
      expect(big.body.errors.page_size).toBeDefined();
      const order = await api.get('/api/v1/test-probe/mails?ordering=password');
      expect(order.status).toBe(400);
      expect(order.body.errors.ordering[0]).toMatch(/ordering must be one of/);
      const date = await api.get('/api/v1/test-probe/mails?date_after=yesterday');
      expect(date.status).toBe(400);
      expect(date.body.errors.date_after).toBeDefined();
    });

    it('rejects unknown query parameters', async () => {
      const res = await api.get('/api/v1/test-probe/mails?per_pagez=3');
      expect(res.status).toBe(400);
      expect(res.body.errors.per_pagez).toBeDefined();
    });
  });
});
