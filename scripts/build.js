#!/usr/bin/env node
// Fast transpile-only build with swc (type checking is `npm run typecheck`).
// Compiles src/, migrations/, scripts/*.ts and bench/*.ts into dist/, keeping the folder layout.
'use strict';
const { spawnSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const swc = require.resolve('@swc/cli/bin/swc.js');
const result = spawnSync(
  process.execPath,
  [swc, 'src', 'migrations', 'scripts', 'bench', '-d', 'dist', '--config-file', '.swcrc', '--only', '**/*.ts', '--ignore', '**/*.spec.ts', '--quiet'],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
