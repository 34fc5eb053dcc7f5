#!/usr/bin/env node
/**
 * `npm run openapi:client-check`: a frontend's typed client must compile from the committed
 * OpenAPI document. Generates types with openapi-typescript (what most TypeScript
 * frontends use), then type-checks them with `tsc --strict` together with a small usage
 * file that reads an envelope, an ordering enum, an error code and the rate-limit headers
 * (and expects wrong values to be refused). Exits non-zero on any failure.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const spec = path.join(root, 'openapi', 'openapi.json');

const USAGE = `import type { components, paths } from './haven';

type Schemas = components['schemas'];
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;

type ChatList = Json<paths['/api/v1/chats']['get']['responses'][200]>;
type ChatQuery = NonNullable<paths['/api/v1/chats']['get']['parameters']['query']>;
type LoginAnswer = paths['/api/v1/auth/login']['post']['responses'];

export function firstChatId(list: ChatList): string | undefined {
  return list.data[0]?.id;
}

export const ordering: ChatQuery['ordering'] = '-last_message_at';
export const code: Schemas['ErrorEnvelope']['code'] = 'COMMON.RATE_LIMITED';
export const remaining: LoginAnswer[200]['headers']['RateLimit-Remaining'] = 9;
export const retryAfter: LoginAnswer[429]['headers']['Retry-After'] = 30;
export const error: Json<LoginAnswer[401]> = {
  success: false,
  errors: { non_field_errors: ['The email/username or password is wrong.'] },
  message: 'The email/username or password is wrong.',
  code: 'AUTH.INVALID_CREDENTIALS',
};

// @ts-expect-error: not one of the list's ordering fields
export const badOrdering: ChatQuery['ordering'] = 'password_hash';
// @ts-expect-error: not an error code of the API
export const badCode: Schemas['ErrorEnvelope']['code'] = 'COMMON.NOPE';
`;

function run(label, args, cwd = root) {
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`openapi:client-check: ${label} failed`);
    process.exit(1);
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'haven-client-'));
try {
  const types = path.join(dir, 'haven.d.ts');
  const usage = path.join(dir, 'usage.ts');
  run('openapi-typescript', [path.join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), spec, '-o', types]);
  writeFileSync(usage, USAGE);
  // In the temporary folder: the repository's tsconfig.json is not the client's.
  run('tsc --strict', [
    require.resolve('typescript/bin/tsc'),
    '--strict',
    '--noEmit',
    '--target', 'es2022',
    '--module', 'nodenext',
    '--moduleResolution', 'nodenext',
    types,
    usage,
  ], dir);
  console.log('openapi:client-check: the typed client compiles under --strict');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
