/**
 * Writes openapi/openapi.json from the app (built in memory, never listening), or with
 * --check exits 1 when the committed file differs from what the app serves.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from 'src/bootstrap';
import { buildOpenApiDocument } from 'src/common/http/openapi';
import { loadConfig } from 'src/config/app-config';
import { serializeOpenApi } from 'src/common/http/openapi-file';

const FILE = join(__dirname, '..', '..', 'openapi', 'openapi.json');

async function main(): Promise<number> {
  // Production shape, with throwaway secrets: the document does not depend on them.
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    JWT_SECRET: randomBytes(48).toString('base64'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });
  const app = await createApp(config);
  await app.init();
  const generated = serializeOpenApi(buildOpenApiDocument(app, config));
  await app.close();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(FILE, 'utf8');
    } catch {
      /* missing counts as different */
    }
    if (committed !== generated) {
      console.error('openapi: openapi/openapi.json is out of date; run `npm run openapi` and commit it.');
      return 1;
    }
    console.log('openapi: openapi/openapi.json matches the app');
    return 0;
  }
  writeFileSync(FILE, generated);
  console.log(`openapi: wrote openapi/openapi.json (${Object.keys((JSON.parse(generated) as { paths: object }).paths).length} paths)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
