import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { pendingSchemaChanges } from 'src/infrastructure/database/migration-files';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { startTestApp } from './support/test-app';

// In a file of its own: once an app has loaded DriftProbe, TypeORM keeps it for every later
// app in the same module registry, so the no-drift test (migrations.e2e-spec.ts) must not share one.

/** An entity no migration creates: what a developer forgetting `migration:generate` leaves behind. */
@Entity('drift_probe')
class DriftProbe {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  label!: string;
}

// Built on demand: forFeature registers the entity for every later app in this file.
function driftProbeModule(): new () => object {
  @Module({ imports: [TypeOrmModule.forFeature([DriftProbe])] })
  class DriftProbeModule {}
  return DriftProbeModule;
}

describe('migrations: drift detection', () => {
  it('report drift when an entity changes without a migration', async () => {
    const api = await startTestApp({ withoutRedis: true, extraModules: [driftProbeModule()] });
    try {
      const changes = await pendingSchemaChanges(api.resolve(DataSource));
      expect(changes.up.some((sql) => sql.startsWith('CREATE TABLE "drift_probe"'))).toBe(true);
      expect(changes.down.some((sql) => sql.startsWith('DROP TABLE "drift_probe"'))).toBe(true);
    } finally {
      await api.close();
    }
  });

});
