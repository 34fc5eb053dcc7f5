#!/usr/bin/env node
/**
 * `npm test`: runs the unit and e2e tests against real services when this machine has
 * them. It starts a throwaway PostgreSQL cluster (initdb/pg_ctl; through `runuser -u
 * postgres` when running as root) and a redis-server on free loopback ports, runs jest,
 * and removes both. Without those binaries the tests use embedded PGlite and the
 * in-process queue. It prints which it used. Extra arguments go to jest.
 */
'use strict';
const { spawn } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { postgresBin, startPostgres, startRedis, which } = require('./services');

const root = path.resolve(__dirname, '..');
const resultsFile = process.env.HAVEN_TEST_RESULTS ?? path.join(root, '.jest-results.json');

async function main() {
  const services = [];
  const env = { ...process.env };
  const stopAll = () => services.splice(0).forEach((s) => s.stop());
  process.on('SIGINT', () => {
    stopAll();
    process.exit(130);
  });
  try {
    const embedded = Boolean(process.env.HAVEN_TEST_EMBEDDED);
    const pgBin = embedded ? null : postgresBin();
    if (pgBin) {
      const pg = await startPostgres(pgBin);
      services.push(pg);
      env.HAVEN_TEST_DATABASE_URL = pg.url;
      console.log(`tests: database = ${pg.label} (throwaway cluster)`);
    } else {
      delete env.HAVEN_TEST_DATABASE_URL;
      console.log(`tests: database = embedded PGlite (${embedded ? 'HAVEN_TEST_EMBEDDED is set' : 'no PostgreSQL binaries found'})`);
    }
    const redisBin = embedded ? null : which('redis-server');
    if (redisBin) {
      const redis = await startRedis(redisBin);
      services.push(redis);
      env.HAVEN_TEST_REDIS_URL = redis.url;
      console.log(`tests: queue/cache = BullMQ on ${redis.label} (throwaway server)`);
    } else {
      delete env.HAVEN_TEST_REDIS_URL;
      console.log(`tests: queue/cache = in-process driver (${embedded ? 'HAVEN_TEST_EMBEDDED is set' : 'no redis-server found'})`);
    }
    const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
    const args = ['--experimental-vm-modules', jest, '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)];
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, args, { cwd: root, env: { ...env, NODE_NO_WARNINGS: '1' }, stdio: 'inherit' });
      child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    });
    if (existsSync(resultsFile)) {
      const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
      console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped in ${r.numTotalTestSuites} files`);
    }
    return code;
  } finally {
    stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('tests: could not start the test services:', error.message ?? error);
    process.exit(1);
  },
);
