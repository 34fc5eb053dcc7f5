import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { queryShape, safeErrorMessage } from 'src/infrastructure/logging/safe-error';

/**
 * TypeORM's log output through Haven's logger, never with a statement's parameters
 * (TypeORM's own loggers print them: emails, password hashes, search terms). A failed
 * query is logged at debug with its shape and SQLSTATE; whoever catches the error decides
 * whether it is worth more.
 */
export class SafeTypeOrmLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.debug(`query failed: ${safeErrorMessage(error)}; ${queryShape(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${queryShape(query)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  // TypeORM's notices (e.g. that it cannot install pgcrypto, which gen_random_uuid() does not need) are left out.
  log(): void {}
}
