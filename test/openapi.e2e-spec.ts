import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeOpenApi } from 'src/common/http/openapi-file';
import { startTestApp, TestApp } from './support/test-app';

const committedPath = join(__dirname, '..', 'openapi', 'openapi.json');

describe('OpenAPI document', () => {
  let api: TestApp;
  let served: any;

  beforeAll(async () => {
    api = await startTestApp({ withoutRedis: true, embedded: true });
    served = (await api.get('/api/docs-json')).body;
  });
  afterAll(() => api?.close());

  it('is committed and equal to what the app serves (run `npm run openapi` after changing the API)', () => {
    expect(readFileSync(committedPath, 'utf8')).toBe(serializeOpenApi(served));
  });

  it('is a valid OpenAPI 3 document', async () => {
    const document = JSON.parse(readFileSync(committedPath, 'utf8'));
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(document)).resolves.toBeDefined();
  });

  it('documents, for every operation, a success and an error response, and security unless public', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries<Record<string, any>>(served.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const codes = Object.keys(op.responses ?? {});
        if (!codes.some((c) => c.startsWith('2'))) problems.push(`${method} ${path}: no success response`);
        if (!codes.some((c) => /^[45]/.test(c))) problems.push(`${method} ${path}: no error response`);
        const secured = Array.isArray(op.security) && op.security.length > 0;
        if (secured && !codes.includes('401')) problems.push(`${method} ${path}: secured but no 401`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares the bearer and token security schemes', () => {
    expect(served.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      token: { type: 'apiKey', in: 'header', name: 'Authorization' },
    });
  });

  it('serves Swagger UI and ReDoc', async () => {
    const ui = await api.get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    const redoc = await api.get('/api/redoc');
    expect(redoc.status).toBe(200);
    expect(redoc.text).toContain('<redoc spec-url="/api/docs-json">');
  });

  it('serves ReDoc’s script itself, so the page works offline', async () => {
    const redoc = await api.get('/api/redoc');
    const src = /<script src="([^"]+)"/.exec(redoc.text)?.[1];
    expect(src).toMatch(/^\/api\/redoc\/redoc-[\w.-]+\.standalone\.js$/);
    expect(redoc.text).not.toMatch(/https?:\/\//);
    const script = await api.get(src!);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(script.headers.get('cache-control')).toMatch(/max-age=\d{6,}/);
    expect(script.text.length).toBeGreaterThan(100_000);
  });

  const operations = (): Array<{ path: string; method: string; op: any }> =>
    Object.entries<Record<string, any>>(served.paths).flatMap(([path, item]) => Object.entries<any>(item).map(([method, op]) => ({ path, method, op })));

  it('defines, with a description, every tag an operation uses', () => {
    const defined = new Map<string, any>(served.tags.map((tag: any) => [tag.name, tag]));
    expect(served.tags[0].name).toBe('auth');
    for (const { op } of operations()) for (const tag of op.tags ?? []) expect(defined.get(tag)?.description).toEqual(expect.any(String));
  });

  it('documents id path parameters as UUIDs, and the accepted orderings of every list', () => {
    for (const { path, method, op } of operations()) {
      for (const param of op.parameters ?? []) {
        if (param.in === 'path' && /(^id|Id)$/.test(param.name)) expect([`${method} ${path} ${param.name}`, param.schema.format]).toEqual([`${method} ${path} ${param.name}`, 'uuid']);
        if (param.name === 'ordering') expect([`${method} ${path}`, param.schema.enum?.length > 0]).toEqual([`${method} ${path}`, true]);
      }
    }
  });

  it('documents the rate-limit headers on every 2xx and 4xx of rate-limited operations, and Retry-After on 429', () => {
    const missing: string[] = [];
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries<any>(op.responses)) {
        const headers = Object.keys(response.headers ?? {});
        if (op['x-rate-limit-tier'] !== 'exempt' && /^[24]/.test(status) && !headers.includes('RateLimit-Limit')) missing.push(`${method} ${path} ${status}`);
        if (status === '429' && !headers.includes('Retry-After')) missing.push(`${method} ${path} 429 Retry-After`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(served.components.headers)).toEqual(expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After']));
  });
});
