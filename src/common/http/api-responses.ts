import { applyDecorators, HttpCode, HttpStatus, Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode, errorStatus } from 'src/common/errors/error-codes';
import { ErrorEnvelope } from 'src/common/errors/error-envelope';
import { MAX_PAGE_SIZE } from 'src/common/pagination/pagination-query.dto';
import { CursorMeta, PaginationMeta, SuccessEnvelopeBase } from './envelope';

/** A UUID in its canonical text form. */
export const UUID_LENGTH = 36;
/** `Date#toISOString()`: every time the API sends (`2025-01-31T09:30:00.000Z`). */
export const DATE_TIME_LENGTH = 24;

interface PropertyOptions {
  required?: boolean;
  nullable?: boolean;
  description?: string;
}

/** A response id: `format: uuid` with its length. */
export const ApiUuidProperty = (options: PropertyOptions = {}): PropertyDecorator =>
  ApiProperty({ type: String, format: 'uuid', maxLength: UUID_LENGTH, ...options });

/** A response time, as `toISOString()` writes it. */
export const ApiDateTimeProperty = (options: PropertyOptions = {}): PropertyDecorator =>
  ApiProperty({ type: String, format: 'date-time', maxLength: DATE_TIME_LENGTH, ...options });

type DataShape = Type<unknown> | 'null';

function envelopeSchema(data: DataShape, list: boolean, paginated: boolean, cursor: boolean, maxItems?: number): Record<string, unknown> {
  // OpenAPI 3.0 has no 'null' type: an always-null value is a nullable schema with null as its only example.
  const item = data === 'null' ? { nullable: true, example: null, description: 'Always null.' } : { $ref: getSchemaPath(data) };
  return {
    allOf: [
      { $ref: getSchemaPath(SuccessEnvelopeBase) },
      {
        type: 'object',
        required: paginated ? ['data', 'pagination'] : cursor ? ['data', 'cursor'] : ['data'],
        properties: {
          data: list ? { type: 'array', items: item, ...(maxItems === undefined ? {} : { maxItems }) } : item,
          ...(paginated ? { pagination: { $ref: getSchemaPath(PaginationMeta) } } : {}),
          ...(cursor ? { cursor: { $ref: getSchemaPath(CursorMeta) } } : {}),
        },
      },
    ],
  };
}

const models = (data: DataShape): Type<unknown>[] =>
  [SuccessEnvelopeBase, PaginationMeta, CursorMeta, ErrorEnvelope, ...(data === 'null' ? [] : [data])];

/**
 * Documents the success envelope around `data` for one operation, plus the error
 * answers every operation can give (400 bad input, 429 rate limited). Sets the status.
 * `maxItems`: the most items a list answer holds (a page: `page_size` at most; a cursor
 * list or plain list: give its limit).
 */
export function ApiEnvelope(
  data: DataShape,
  options: { status?: HttpStatus; list?: boolean; paginated?: boolean; cursor?: boolean; maxItems?: number; description?: string } = {},
): MethodDecorator {
  const status = options.status ?? HttpStatus.OK;
  const maxItems = options.maxItems ?? (options.paginated === true ? MAX_PAGE_SIZE : undefined);
  return applyDecorators(
    HttpCode(status),
    ApiExtraModels(...models(data)),
    ApiResponse({
      status,
      description: options.description ?? 'Success',
      schema: envelopeSchema(
        data,
        options.list === true || options.paginated === true || options.cursor === true,
        options.paginated === true,
        options.cursor === true,
        maxItems,
      ),
    }),
    ApiResponse({ status: 400, description: 'Invalid input; `errors` names each field (`COMMON.VALIDATION_FAILED`).', type: ErrorEnvelope }),
    ApiResponse({ status: 429, description: 'Rate limited (`COMMON.RATE_LIMITED`); retry after `Retry-After` seconds.', type: ErrorEnvelope }),
  );
}

/** ApiError uses not yet applied: they need every feature's codes registered (see below). */
const pendingErrorDocs: Array<() => void> = [];

/**
 * Documents the error answers specific to this operation by their codes: each code's
 * HTTP status comes from the ErrorCodes table, and the answer's description lists the
 * codes a client can branch on. Codes of one status share one answer; answers of the
 * same status from other decorators (400 of ApiEnvelope, 403 of Authenticated) are merged.
 *
 * Feature codes register when their errors file loads, which may be after a controller
 * naming them (groups name chat codes): so the statuses are looked up, and the answers
 * added, when the document is built (applyErrorDocs, called by buildOpenApiDocument).
 */
export function ApiError(...codes: [ErrorCode, ...ErrorCode[]]): MethodDecorator & ClassDecorator {
  const decorate = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    pendingErrorDocs.push(() => {
      const byStatus = new Map<HttpStatus, ErrorCode[]>();
      for (const code of codes) byStatus.set(errorStatus(code), [...(byStatus.get(errorStatus(code)) ?? []), code]);
      const decorator = applyDecorators(
        ApiExtraModels(ErrorEnvelope),
        ...[...byStatus].map(([status, list]) =>
          ApiResponse({ status, description: `Error code${list.length > 1 ? 's' : ''}: ${list.map((c) => `\`${c}\``).join(', ')}.`, type: ErrorEnvelope }),
        ),
      );
      decorator(target, key, descriptor);
    });
  };
  return decorate;
}

/** Adds the answers of every ApiError declared so far (once each). */
export function applyErrorDocs(): void {
  for (const apply of pendingErrorDocs.splice(0)) apply();
}
