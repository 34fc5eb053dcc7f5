import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { AppConfig } from 'src/config/app-config';
import { DataSource, DataSourceOptions, QueryFailedError } from 'typeorm';
import { migrations } from '../../../migrations';
import { EmbeddedDatabase } from './embedded-database.provider';
import { HotQueries } from './hot-queries.service';
import { runMigrationsExclusively } from './migration-runner';
import { SafeTypeOrmLogger } from './safe-typeorm.logger';
import { SnakeNamingStrategy } from './snake-naming.strategy';

const logger = new Logger('Database');

@Global()
@Module({
  providers: [EmbeddedDatabase],
  exports: [EmbeddedDatabase],
})
class EmbeddedDatabaseModule {}

/**
 * TypeORM on PostgreSQL (a server from DATABASE_URL, or embedded PGlite). Schema changes
 * come only from the migrations in `migrations/`, applied at start before anything else
 * touches the database; `synchronize` is never used.
 */
@Global()
@Module({
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, EmbeddedDatabase],
      useFactory: async (config: AppConfig, embedded: EmbeddedDatabase): Promise<TypeOrmModuleOptions> => ({
        type: 'postgres',
        url: await embedded.connectionUrl(),
        autoLoadEntities: true,
        synchronize: false,
        // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
        uuidExtension: 'pgcrypto',
        migrationsRun: false,
        migrations,
        migrationsTableName: 'schema_migrations',
        namingStrategy: new SnakeNamingStrategy(),
        poolSize: config.database.poolSize,
        extra: { connectionTimeoutMillis: 5_000, application_name: 'haven' },
        logging: ['error', 'migration'],
        logger: new SafeTypeOrmLogger(),
        // Retry a database that is not up yet; a failing migration is not retried.
        retryAttempts: 5,
        retryDelay: 2_000,
        toRetry: (error: unknown) => !(error instanceof QueryFailedError),
      }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const dataSource = await new DataSource(options!).initialize();
        const applied = await runMigrationsExclusively(dataSource);
        if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);
        return dataSource;
      },
    }),
  ],
  providers: [HotQueries],
  exports: [HotQueries],
})
export class DatabaseModule {}
