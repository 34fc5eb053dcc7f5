import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** The connection URL of an embedded database server on this machine. */
export function embeddedDatabaseUrl(port: number, password: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
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

/** The lock file holds the port: only the owner of the data directory may read it. */
function writeLock(path: string, info: EmbeddedServerInfo): void {
  writeFileSync(path, JSON.stringify(info), { mode: 0o600 });
  // `mode` applies only to a new file; a stale lock from an older version may be wider.
  chmodSync(path, 0o600);
}

/**
 * PGlite (PostgreSQL compiled to WASM) served over the PostgreSQL wire protocol on
 * 127.0.0.1, so TypeORM uses its ordinary `postgres` driver in zero-setup mode too.
 * Other local processes can reach that port, so it asks for a password (SCRAM-SHA-256):
 * the generated one from `<dataDir>/secrets.json` (see `resolveEmbeddedDatabasePassword`).
 * One process owns a data directory at a time: a lock file records its pid and port,
 * so a second process is refused with a clear message instead of corrupting the data.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PgliteWireServer,
    private readonly lockPath: string | null,
    readonly port: number,
    private readonly password: string,
  ) {}

  get url(): string {
    return embeddedDatabaseUrl(this.port, this.password);
  }

  /**
   * Opens `<dataDir>/pglite` (or an in-memory database for `memory://`) and serves it on a
   * free port to clients that know `password` (a random one when not given: then only
   * `url` knows it).
   */
  static async start(dataDir: string, maxConnections: number, password = randomBytes(32).toString('base64url')): Promise<EmbeddedPostgres> {
    const inMemory = dataDir === 'memory://';
    let lockPath: string | null = null;
    if (!inMemory) {
      const dir = resolve(dataDir);
      mkdirSync(dir, { recursive: true });
      const owner = readEmbeddedOwner(dir);
      if (owner) throw new EmbeddedDatabaseBusyError(dir, owner);
      lockPath = join(dir, LOCK_FILE);
      writeLock(lockPath, { pid: process.pid, port: 0, startedAt: new Date().toISOString() });
      // The database files are for this user only (PGlite would create the folder world-readable).
      const pgliteDir = join(dir, PGLITE_DIR);
      mkdirSync(pgliteDir, { recursive: true, mode: 0o700 });
      chmodSync(pgliteDir, 0o700);
    }
    // btree_gist: exclusion constraints on (id WITH =, range WITH &&), as in PostgreSQL (no double booking).
    const db = await PGlite.create(inMemory ? undefined : join(resolve(dataDir), PGLITE_DIR), { extensions: { btree_gist } });
    const server = new PgliteWireServer(db, maxConnections, password);
    const port = await server.listen('127.0.0.1');
    if (lockPath) writeLock(lockPath, { pid: process.pid, port, startedAt: new Date().toISOString() });
    return new EmbeddedPostgres(db, server, lockPath, port, password);
  }

  async stop(): Promise<void> {
    await this.server.close();
    await this.db.close();
    if (this.lockPath) rmSync(this.lockPath, { force: true });
  }
}
