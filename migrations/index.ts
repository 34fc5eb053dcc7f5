import type { MigrationInterface } from 'typeorm';
import { Init1795284968854 } from './1795284968854-Init';

/** Every migration, oldest first. `npm run migration:generate -- <Name>` appends to this list. */
export const migrations: Array<new () => MigrationInterface> = [
  Init1795284968854,
];
