import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidField } from 'src/common/validation/uuid-param';
import { AUDIT_ACTIONS, AuditAction } from './audit-actions';
import { AuditLogEntry } from './audit-log.entity';
import { Optional } from 'src/common/validation/presence';

/** The audit_log columns. */
const TARGET_TYPE_MAX_LENGTH = 32;
const TARGET_ID_MAX_LENGTH = 64;
const REQUEST_ID_MAX_LENGTH = 64;
const IP_MAX_LENGTH = 64;

export class AuditQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, description: 'Only this kind of event.' })
  @Optional()
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of: ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;

  @UuidField({ optional: true, description: 'Only events done by this user.', message: 'actor_id must be a UUID' })
  actor_id?: string;

  @ApiPropertyOptional({ description: 'Only events about this target (usually a user id).', maxLength: TARGET_ID_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(TARGET_ID_MAX_LENGTH)
  target_id?: string;

  @ApiPropertyOptional({ example: 'user', description: 'Only events about this kind of target.', maxLength: TARGET_TYPE_MAX_LENGTH })
  @Optional()
  @IsString()
  @Matches(/^[a-z_]{1,32}$/, { message: 'target_type must be lowercase letters and _' })
  target_type?: string;

  @ApiPropertyOptional({ example: '203.0.113.7', description: 'Only events from this client IP.', maxLength: IP_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(IP_MAX_LENGTH)
  ip?: string;
}

export class AuditEntryDto {
  @ApiUuidProperty()
  id!: string;

  @ApiDateTimeProperty()
  occurred_at!: string;

  @ApiUuidProperty({ nullable: true, description: 'Who did it; null for anonymous callers and the CLI.' })
  actor_id!: string | null;

  @ApiProperty({ enum: AUDIT_ACTIONS, example: 'auth.login_failed' })
  action!: AuditAction;

  @ApiProperty({ type: String, nullable: true, maxLength: TARGET_TYPE_MAX_LENGTH, example: 'user' })
  target_type!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: TARGET_ID_MAX_LENGTH, description: 'Id of the target (a user, an API token, …).' })
  target_id!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: REQUEST_ID_MAX_LENGTH, description: 'The X-Request-Id of the request that caused it.' })
  request_id!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: IP_MAX_LENGTH, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { reason: 'wrong_password' }, description: 'Small event-specific detail.' })
  detail!: Record<string, unknown>;
}

export function toAuditEntryDto(entry: AuditLogEntry): AuditEntryDto {
  return {
    id: entry.id,
    occurred_at: entry.occurredAt.toISOString(),
    actor_id: entry.actorId,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    request_id: entry.requestId,
    ip: entry.ip,
    detail: entry.detail,
  };
}
