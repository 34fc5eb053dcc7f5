/**
 * Migrations CLI.
 *   run             apply pending migrations to the configured database (DATABASE_URL or embedded)
 *   revert          undo the last applied migration on the configured database
 *   generate <Name> write migrations/<timestamp>-<Name>.ts with what the entities need
 *                   beyond the existing migrations (computed on a fresh in-memory database)
 *   check           exit 1 when the entities and the migrations disagree (CI drift check)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from 'src/app.module';
import { loadConfig } from 'src/config/app-config';
import { DataSource } from 'typeorm';
import { pendingSchemaChanges, renderMigration, registerMigration } from 'src/infrastructure/database/migration-files';

const ROOT = join(__dirname, '..', '..');

async function withDataSource<T>(inMemory: boolean, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const env = inMemory ? { ...process.env, DATABASE_URL: '', DATA_DIR: 'memory://' } : process.env;
  const config = loadConfig({ ...env, LOG_LEVEL: env.LOG_LEVEL ?? 'warn' });
  // Booting the context applies all migrations first (database module).
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger: ['error', 'warn'] });
  try {
    return await work(app.get<DataSource>(getDataSourceToken()));
  } finally {
    await app.close();
  }
}

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  switch (command) {
    case 'run':
      await withDataSource(false, async () => undefined);
      console.log('migrations: up to date');
      return 0;
    case 'revert':
      await withDataSource(false, async (dataSource) => dataSource.undoLastMigration({ transaction: 'each' }));
      console.log('migrations: reverted the last one');
      return 0;
    case 'check': {
      const changes = await withDataSource(true, pendingSchemaChanges);
      if (changes.up.length === 0) {
        console.log('migrations: entities and migrations agree');
        return 0;
      }
      console.error(`migrations: DRIFT — the entities need ${changes.up.length} statement(s) no migration has:`);
      for (const sql of changes.up) console.error(`  ${sql}`);
      console.error('Run `npm run migration:generate -- <Name>` and commit the new migration.');
      return 1;
    }
    case 'generate': {
      if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
        console.error('usage: npm run migration:generate -- <PascalCaseName>');
        return 2;
      }
      const changes = await withDataSource(true, pendingSchemaChanges);
      if (changes.up.length === 0) {
        console.log('migrations: nothing to generate, entities and migrations agree');
        return 0;
      }
      const timestamp = Date.now();
      const file = `${timestamp}-${name}`;
      writeFileSync(join(ROOT, 'migrations', `${file}.ts`), renderMigration(`${name}${timestamp}`, changes));
      registerMigration(join(ROOT, 'migrations', 'index.ts'), file, `${name}${timestamp}`);
      console.log(`migrations: wrote migrations/${file}.ts (${changes.up.length} statements)`);
      return 0;
    }
    default:
      console.error('usage: migrate run | revert | generate <Name> | check');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
