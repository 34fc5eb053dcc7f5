import { readFileSync, writeFileSync } from 'node:fs';
import { DataSource } from 'typeorm';

export interface SchemaChanges {
  up: string[];
  down: string[];
}

/** The SQL the entities need beyond what the applied migrations created (empty: no drift). */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<SchemaChanges> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: sql.upQueries.map((q) => q.query),
    down: sql.downQueries.map((q) => q.query).reverse(),
  };
}

const asStatement = (sql: string): string => `    await queryRunner.query(${JSON.stringify(sql)});`;

export function renderMigration(className: string, changes: SchemaChanges): string {
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${changes.up.map(asStatement).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${changes.down.map(asStatement).join('\n')}
  }
}
`;
}

/** Adds the new migration to migrations/index.ts (imports and the ordered list). */
export function registerMigration(indexPath: string, file: string, className: string): void {
  const source = readFileSync(indexPath, 'utf8');
  const withImport = source.replace(/(import type \{ MigrationInterface \} from 'typeorm';\n)/, `$1import { ${className} } from './${file}';\n`);
  const updated = withImport.replace(
    /export const migrations: Array<new \(\) => MigrationInterface> = \[([\s\S]*?)\];/,
    (_, list: string) => {
      const entries = list.split(',').map((e) => e.trim()).filter(Boolean);
      entries.push(className);
      return `export const migrations: Array<new () => MigrationInterface> = [\n${entries.map((e) => `  ${e},`).join('\n')}\n];`;
    },
  );
  writeFileSync(indexPath, updated);
}
