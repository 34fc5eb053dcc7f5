import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pendingSchemaChanges, registerMigration, renderMigration } from 'src/infrastructure/database/migration-files';
import { DataSource } from 'typeorm';
import { startTestApp } from './support/test-app';

describe('migrations', () => {
  it('create exactly the schema the entities describe (no drift)', async () => {
    const api = await startTestApp({ withoutRedis: true });
    try {
      const changes = await pendingSchemaChanges(api.resolve(DataSource));
      expect(changes.up).toEqual([]);
      const applied = await api.resolve(DataSource).query('SELECT name FROM schema_migrations');
      expect(applied.length).toBeGreaterThan(0);
    } finally {
      await api.close();
    }
  });

  it('are generated as a class and registered in migrations/index.ts in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'haven-migrations-'));
    const index = join(dir, 'index.ts');
    writeFileSync(index, readFileSync(join(__dirname, '..', 'migrations', 'index.ts')));
    registerMigration(index, '1900000000000-AddThing', 'AddThing1900000000000');
    const updated = readFileSync(index, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(updated).toContain("import { AddThing1900000000000 } from './1900000000000-AddThing';");
    expect(updated.trim().endsWith('AddThing1900000000000,\n];'.trim())).toBe(true);
    const source = renderMigration('AddThing1900000000000', { up: ['CREATE TABLE "t" ("id" int)'], down: ['DROP TABLE "t"'] });
    expect(source).toContain('export class AddThing1900000000000 implements MigrationInterface');
    expect(source).toContain('await queryRunner.query("CREATE TABLE \\"t\\" (\\"id\\" int)");');
  });
});
