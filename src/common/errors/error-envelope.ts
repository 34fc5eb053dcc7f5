import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode, FieldErrors } from './error-codes';

/** The body of every error response. */
export class ErrorEnvelope {
  @ApiProperty({ example: false, enum: [false] })
  success!: false;

  @ApiProperty({
    description: 'Messages by field; `non_field_errors` for the request as a whole.',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { email: ['email must be an email'] },
  })
  errors!: FieldErrors;

  @ApiProperty({ example: 'The request has invalid fields.' })
  message!: string;

  @ApiProperty({ type: String, example: 'COMMON.VALIDATION_FAILED', description: 'Stable machine-readable error code.' })
  code!: ErrorCode;

  @ApiPropertyOptional({ example: '5f0c6a8e-7a43-4d55-b8a6-6f7f2b3e9d10', description: 'Also sent as the X-Request-Id header.' })
  request_id!: string;
}

export function errorEnvelope(code: ErrorCode, message: string, errors: FieldErrors, requestId: string): ErrorEnvelope {
  return {
    success: false,
    errors: Object.keys(errors).length > 0 ? errors : { non_field_errors: [message] },
    message,
    code,
    request_id: requestId,
  };
}
