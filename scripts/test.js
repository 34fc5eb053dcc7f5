#!/usr/bin/env node
/**
 * `npm test`: runs the unit and e2e tests against real services when this machine has
 * them. It starts a throwaway PostgreSQL cluster (initdb/pg_ctl; through `runuser -u
 * postgres` when running as root) and a redis-server on free loopback ports, runs jest,
 * and removes both. Without those binaries the tests use embedded PGlite and the
 * in-process queue. It prints which it used. Extra arguments go to jest.
 */
'use strict';
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync, readFileSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const resultsFile = process.env.HAVEN_TEST_RESULTS ?? path.join(root, '.jest-results.json');

function which(bin) {
  const found = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

function postgresBin() {
  const initdb = which('initdb');
  if (initdb) return path.dirname(initdb);
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const asPostgres = (cmd, args) => (isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);

async function startPostgres(bin) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'haven-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  if (isRoot) execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  const run = (cmd, args) => {
    const [c, a] = asPostgres(path.join(bin, cmd), args);
    execFileSync(c, a, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    label: `PostgreSQL (${path.basename(path.dirname(bin))}) on 127.0.0.1:${port}`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function startRedis(binary) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'haven-redis-'));
  const port = await freePort();
  const pidfile = path.join(dir, 'redis.pid');
  execFileSync(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', pidfile, '--dir', dir]);
  for (let i = 0; i < 50 && !existsSync(pidfile); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    url: `redis://127.0.0.1:${port}`,
    label: `Redis on 127.0.0.1:${port}`,
    stop: () => {
      try {
        process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGTERM');
      } catch {
        /* already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const services = [];
  const env = { ...process.env };
  const stopAll = () => services.splice(0).forEach((s) => s.stop());
  process.on('SIGINT', () => {
    stopAll();
    process.exit(130);
  });
  try {
    const pgBin = process.env.HAVEN_TEST_EMBEDDED ? null : postgresBin();
    if (pgBin) {
      const pg = await startPostgres(pgBin);
      services.push(pg);
      env.HAVEN_TEST_DATABASE_URL = pg.url;
      console.log(`tests: database = ${pg.label} (throwaway cluster)`);
    } else {
      delete env.HAVEN_TEST_DATABASE_URL;
      console.log('tests: database = embedded PGlite (no PostgreSQL binaries found)');
    }
    const redisBin = process.env.HAVEN_TEST_EMBEDDED ? null : which('redis-server');
    if (redisBin) {
      const redis = await startRedis(redisBin);
      services.push(redis);
      env.HAVEN_TEST_REDIS_URL = redis.url;
      console.log(`tests: queue/cache = BullMQ on ${redis.label} (throwaway server)`);
    } else {
      delete env.HAVEN_TEST_REDIS_URL;
      console.log('tests: queue/cache = in-process driver (no redis-server found)');
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
