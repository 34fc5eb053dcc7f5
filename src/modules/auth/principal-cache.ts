import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { Principal } from 'src/common/access/principal';
import { AppConfig } from 'src/config/app-config';
import { safeErrorMessage } from 'src/infrastructure/logging/safe-error';

/** The channel the database notifies on (migration PrincipalChangeNotices). */
const CHANNEL = 'haven_principal_changed';
/** A backstop: no entry is served longer than this, whatever happens to notifications. */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 20_000;
const RECONNECT_MS = 1_000;

interface Entry {
  userId: string;
  principal: Principal;
  /** The session's own expiry. */
  expiresAt: number;
  storedAt: number;
}

/**
 * The callers behind recently checked access tokens, per API process, so a token this
 * process has just checked does not cost a database read on every request.
 *
 * It keeps the promise of the direct check. The database itself announces every change that
 * could alter the answer — a session revoked, ended or removed; an account's role, status or
 * verification changed, the account removed — with `NOTIFY haven_principal_changed` when the
 * change commits, whoever made it (any API node, a worker, a command, SQL by hand). Each
 * process LISTENs on its own connection and drops that user's entries as the notice arrives.
 * A lookup that read the database before a notice and finishes after it is not stored (a
 * generation counter), so a stale answer cannot slip in behind an invalidation. While the
 * listening connection is down, nothing is served from the cache and it is emptied. Entries
 * also end with their session and after MAX_AGE_MS.
 *
 * Only with PostgreSQL at DATABASE_URL: the zero-setup shape (one process, embedded database)
 * checks every request directly.
 */
@Injectable()
export class PrincipalCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PrincipalCache');
  private readonly entries = new Map<string, Entry>();
  private readonly sessionsByUser = new Map<string, Set<string>>();
  private client: Client | null = null;
  private listening = false;
  private stopped = false;
  private reconnect: NodeJS.Timeout | null = null;
  /** Bumped by every notice: a lookup started under another generation is not stored. */
  private generation = 0;

  constructor(private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    this.forgetAll();
    await this.client?.end().catch(() => undefined);
  }

  /** Whether lookups may be served from the cache (the change notices are being heard). */
  get active(): boolean {
    return this.listening;
  }

  /** A token for the cache's current generation, to hand back to store(). */
  begin(): number {
    return this.generation;
  }

  get(sessionId: string, userId: string): Principal | null {
    if (!this.listening) return null;
    const entry = this.entries.get(sessionId);
    if (!entry) return null;
    const now = Date.now();
    if (entry.userId !== userId || entry.expiresAt <= now || now - entry.storedAt > MAX_AGE_MS) {
      this.forgetSession(sessionId);
      return null;
    }
    return entry.principal;
  }

  /** Stores what a lookup begun at `generation` found, unless a notice arrived meanwhile. */
  store(generation: number, sessionId: string, principal: Principal, sessionExpiresAt: Date): void {
    if (!this.listening || generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.forgetSession(this.entries.keys().next().value!);
    this.entries.set(sessionId, { userId: principal.userId, principal, expiresAt: sessionExpiresAt.getTime(), storedAt: Date.now() });
    const sessions = this.sessionsByUser.get(principal.userId) ?? new Set<string>();
    sessions.add(sessionId);
    this.sessionsByUser.set(principal.userId, sessions);
  }

  /** Drops everything cached for a user (their sessions, role, status). */
  forgetUser(userId: string): void {
    this.generation++;
    for (const sessionId of this.sessionsByUser.get(userId) ?? []) this.entries.delete(sessionId);
    this.sessionsByUser.delete(userId);
  }

  private forgetSession(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    this.entries.delete(sessionId);
    const sessions = this.sessionsByUser.get(entry.userId);
    sessions?.delete(sessionId);
    if (sessions?.size === 0) this.sessionsByUser.delete(entry.userId);
  }

  private forgetAll(): void {
    this.generation++;
    this.entries.clear();
    this.sessionsByUser.clear();
  }

  private async listen(): Promise<void> {
    const database = this.config.database;
    if (database.kind !== 'postgres' || database.sharedSession || this.stopped) return;
    const client = new Client({ connectionString: database.url, application_name: 'haven-principal-cache' });
    this.client = client;
    const lost = (reason: string): void => {
      if (this.client !== client) return;
      this.listening = false;
      this.client = null;
      this.forgetAll();
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`change notices lost (${reason}); checking every request directly until they are back`);
      this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
    };
    client.on('notification', (notice) => {
      if (notice.channel === CHANNEL && notice.payload) this.forgetUser(notice.payload);
    });
    client.on('error', (error) => lost(safeErrorMessage(error)));
    client.on('end', () => lost('connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.client !== client) return;
      // Anything cached before (there is nothing at start) may have missed notices.
      this.forgetAll();
      this.listening = true;
    } catch (error) {
      lost(safeErrorMessage(error));
    }
  }
}
