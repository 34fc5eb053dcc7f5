/**
 * Throwaway PostgreSQL clusters and Redis servers on free loopback ports, for the
 * tests (scripts/test.js) and the benchmarks (bench/). Each start returns
 * `{ url, label, stop }`; stop removes everything it created.
 */
'use strict';
const { spawnSync, execFileSync } = require('node:child_process');
const { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync, readFileSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

function which(bin) {
  const found = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** The folder holding initdb and pg_ctl, from PATH or Debian's /usr/lib/postgresql/<v>/bin. */
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

/** PostgreSQL refuses to run as root: as root, run its tools as the postgres user. */
async function startPostgres(bin, { maxConnections = 300 } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'haven-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  if (isRoot) execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  const run = (cmd, args) => {
    const command = path.join(bin, cmd);
    const [c, a] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    execFileSync(c, a, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=${maxConnections}`;
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

module.exports = { which, postgresBin, freePort, startPostgres, startRedis };
