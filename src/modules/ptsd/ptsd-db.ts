import { QueryFailedError } from 'typeorm';

/** Whether a statement failed on a foreign key (SQLSTATE 23503): a referenced row went away meanwhile. */
export function isForeignKeyViolation(error: unknown): boolean {
  const source = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  return (source as { code?: unknown } | null)?.code === '23503';
}
