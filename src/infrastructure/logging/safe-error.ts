import { QueryFailedError } from 'typeorm';

/**
 * Errors of the database carry what was sent to it: TypeORM's QueryFailedError keeps the
 * statement's parameters (emails, password hashes, search terms), PostgreSQL's `detail`
 * quotes key values ("Key (email)=(…) already exists"), and even its message may quote
 * an input ("invalid input syntax for type uuid: \"…\""). None of that may reach a log or
 * a stored job failure. What is kept identifies the fault: the SQLSTATE code, the
 * constraint, table and column names, and the statement's shape without literals.
 */

interface DatabaseErrorFields {
  code?: unknown;
  severity?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  routine?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const MAX_QUERY_SHAPE = 500;

/** The driver error behind a failed query, or the error itself when it is one. */
function databaseError(error: unknown): DatabaseErrorFields | null {
  if (error instanceof QueryFailedError) return (error.driverError ?? {}) as DatabaseErrorFields;
  const fields = error as DatabaseErrorFields | null;
  if (fields && typeof fields === 'object' && typeof fields.code === 'string' && SQLSTATE.test(fields.code) && typeof fields.severity === 'string') {
    return fields;
  }
  return null;
}

/** A statement with its string and numeric literals replaced, shortened. */
export function queryShape(query: string): string {
  const shape = query
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return shape.length > MAX_QUERY_SHAPE ? `${shape.slice(0, MAX_QUERY_SHAPE)}…` : shape;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** One line about an error that holds no values from a request: for job failure records and warnings. */
export function safeErrorMessage(error: unknown): string {
  const db = databaseError(error);
  if (db) {
    const where = [text(db.table) && `table ${String(db.table)}`, text(db.constraint) && `constraint ${String(db.constraint)}`].filter(Boolean);
    return `database error ${text(db.code) ?? 'unknown'}${where.length ? ` (${where.join(', ')})` : ''}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The stack's frames without its first line (which repeats the message). */
const framesOf = (error: Error): string | undefined => error.stack?.split('\n').slice(1).join('\n');

/**
 * pino's `err` serializer: the type, message and stack as usual, except that database
 * errors keep only what identifies the fault (see above). Causes are serialized the same way.
 */
export function serializeError(given: unknown, depth = 0): unknown {
  // pino-http hands serializers pino's own serialization, with the original error as `raw`.
  const raw = (given as { raw?: unknown } | null)?.raw;
  const error = raw instanceof Error ? raw : given;
  if (!(error instanceof Error)) return { type: typeof error, message: typeof error === 'string' ? error : undefined };
  const db = databaseError(error);
  const serialized: Record<string, unknown> = { type: error.constructor?.name ?? 'Error' };
  if (db) {
    serialized.message = safeErrorMessage(error);
    serialized.code = text(db.code);
    for (const field of ['constraint', 'table', 'column', 'routine'] as const) if (text(db[field])) serialized[field] = db[field];
    if (error instanceof QueryFailedError && typeof error.query === 'string') serialized.query = queryShape(error.query);
    serialized.stack = framesOf(error);
  } else {
    serialized.message = error.message;
    serialized.stack = error.stack;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') serialized.code = code;
  }
  if (error.cause !== undefined && depth < 3) serialized.cause = serializeError(error.cause, depth + 1);
  return serialized;
}
