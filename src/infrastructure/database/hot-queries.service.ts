import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { AppConfig } from 'src/config/app-config';
import { DataSource, QueryFailedError } from 'typeorm';

/**
 * Runs the few statements on hot paths (a chat send) as named prepared statements, so
 * PostgreSQL plans them once per connection instead of on every call (measured: twice
 * the throughput for the send statement). The embedded database serves every client
 * from one backend, where statement names would collide between connections, so there
 * they run unnamed through TypeORM.
 */
@Injectable()
export class HotQueries {
  private readonly pool: Pool | null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    // Named statements need a session per connection: not the embedded database's shared one.
    const named = config.database.kind === 'postgres' && !config.database.sharedSession;
    this.pool = named ? ((dataSource.driver as unknown as { master: Pool }).master ?? null) : null;
  }

  async query<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    if (!this.pool) return this.dataSource.query<T[]>(text, values);
    const result = await this.pool.query({ name: `haven_${name}`, text, values });
    return result.rows as T[];
  }
}

/** The driver's error behind a failed statement (TypeORM wraps pg's). */
const driverErrorOf = (error: unknown): { constraint?: unknown; code?: unknown } | null =>
  (error instanceof QueryFailedError ? (error.driverError as unknown) : error) as { constraint?: unknown; code?: unknown } | null;

/** The unique or check constraint a failed statement violated, from TypeORM's or pg's error. */
export function violatedConstraint(error: unknown): string | undefined {
  const constraint = driverErrorOf(error)?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

/** Whether a statement failed on a foreign key (SQLSTATE 23503): a referenced row went away meanwhile. */
export const isForeignKeyViolation = (error: unknown): boolean => driverErrorOf(error)?.code === '23503';
