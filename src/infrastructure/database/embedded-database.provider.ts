import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { EmbeddedPostgres } from './embedded-postgres';

const MAINTENANCE_CONNECTIONS = 2;

/**
 * Owns the embedded PGlite server in zero-setup mode (no DATABASE_URL) and gives
 * TypeORM the URL to connect to, with the server's password (DATA_DIR/secrets.json).
 * With DATABASE_URL it is a pass-through.
 */
@Injectable()
export class EmbeddedDatabase implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private server: EmbeddedPostgres | null = null;

  constructor(private readonly config: AppConfig) {}

  async connectionUrl(): Promise<string> {
    const db = this.config.database;
    if (db.kind === 'postgres') return db.url;
    if (!this.server) {
      // Room beyond this process's pool for maintenance commands (create-admin) that go through this server.
      this.server = await EmbeddedPostgres.start(db.dataDir, db.poolSize + MAINTENANCE_CONNECTIONS, this.config.embeddedDatabasePassword!);
      this.logger.log(`embedded PostgreSQL (PGlite) ready, data in ${db.dataDir}`);
    }
    return this.server.url;
  }

  get embeddedPort(): number | null {
    return this.server?.port ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.stop();
  }
}
