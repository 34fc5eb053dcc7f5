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
});
