import { DataSource } from 'typeorm';

// Any fixed number: every Haven node that starts at once takes the same lock.
const MIGRATION_LOCK_KEY = 7_261_340_001;

/**
 * Applies pending migrations, one node at a time: with several API nodes and workers
 * starting together on one PostgreSQL, the others wait on an advisory lock and then
 * find nothing left to do.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
