import { PGlite } from '@electric-sql/pglite';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PgliteWireServer } from './pglite-wire-server';

export interface EmbeddedServerInfo {
  pid: number;
  port: number;
  startedAt: string;
}

export class EmbeddedDatabaseBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: EmbeddedServerInfo,
  ) {
    super(
      `The embedded database in ${dataDir} is already open by process ${owner.pid} (listening on 127.0.0.1:${owner.port}). ` +
        'Stop that process first, or set DATABASE_URL to use a PostgreSQL server.',
    );
    this.name = 'EmbeddedDatabaseBusyError';
  }
}

const LOCK_FILE = 'embedded-db.json';
const PGLITE_DIR = 'pglite';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running owner of an embedded data directory, if any (a stale lock from a dead process is ignored). */
export function readEmbeddedOwner(dataDir: string): EmbeddedServerInfo | null {
  try {
    const info = JSON.parse(readFileSync(join(resolve(dataDir), LOCK_FILE), 'utf8')) as EmbeddedServerInfo;
    return isAlive(info.pid) && info.pid !== process.pid ? info : null;
  } catch {
    return null;
  }
}

/**
 * PGlite (PostgreSQL compiled to WASM) served over the PostgreSQL wire protocol on
 * 127.0.0.1, so TypeORM uses its ordinary `postgres` driver in zero-setup mode too.
 * One process owns a data directory at a time: a lock file records its pid and port,
 * so a second process is refused with a clear message instead of corrupting the data.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PgliteWireServer,
    private readonly lockPath: string | null,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Opens `<dataDir>/pglite` (or an in-memory database for `memory://`) and serves it on a free port. */
  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const inMemory = dataDir === 'memory://';
    let lockPath: string | null = null;
    if (!inMemory) {
      const dir = resolve(dataDir);
      mkdirSync(dir, { recursive: true });
      const owner = readEmbeddedOwner(dir);
      if (owner) throw new EmbeddedDatabaseBusyError(dir, owner);
      lockPath = join(dir, LOCK_FILE);
      writeFileSync(lockPath, JSON.stringify({ pid: process.pid, port: 0, startedAt: new Date().toISOString() }));
    }
    const db = await PGlite.create(inMemory ? undefined : join(resolve(dataDir), PGLITE_DIR));
    const server = new PgliteWireServer(db, maxConnections);
    const port = await server.listen('127.0.0.1');
    if (lockPath) {
      writeFileSync(lockPath, JSON.stringify({ pid: process.pid, port, startedAt: new Date().toISOString() }));
    }
    return new EmbeddedPostgres(db, server, lockPath, port);
  }

  async stop(): Promise<void> {
    await this.server.close();
    await this.db.close();
    if (this.lockPath) rmSync(this.lockPath, { force: true });
  }
}
