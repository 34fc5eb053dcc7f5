import { applyDecorators, HttpCode, HttpStatus, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorEnvelope } from 'src/common/errors/error-envelope';
import { CursorMeta, PaginationMeta, SuccessEnvelopeBase } from './envelope';

type DataShape = Type<unknown> | 'null';

function envelopeSchema(data: DataShape, list: boolean, paginated: boolean, cursor = false): Record<string, unknown> {
  // OpenAPI 3.0 has no 'null' type: an always-null value is a nullable schema with null as its only example.
  const item = data === 'null' ? { nullable: true, example: null, description: 'Always null.' } : { $ref: getSchemaPath(data) };
  return {
    allOf: [
      { $ref: getSchemaPath(SuccessEnvelopeBase) },
      {
        type: 'object',
        required: paginated ? ['data', 'pagination'] : cursor ? ['data', 'cursor'] : ['data'],
        properties: {
          data: list ? { type: 'array', items: item } : item,
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
 */
export function ApiEnvelope(
  data: DataShape,
  options: { status?: HttpStatus; list?: boolean; paginated?: boolean; cursor?: boolean; description?: string } = {},
): MethodDecorator {
  const status = options.status ?? HttpStatus.OK;
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
      ),
    }),
    ApiResponse({ status: 400, description: 'Invalid input; `errors` names each field.', type: ErrorEnvelope }),
    ApiResponse({ status: 429, description: 'Rate limited; see the Retry-After header.', type: ErrorEnvelope }),
  );
}

/** Documents an error answer specific to this operation (404, 409, …). */
export function ApiError(status: HttpStatus, description: string): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiExtraModels(ErrorEnvelope), ApiResponse({ status, description, type: ErrorEnvelope }));
}
