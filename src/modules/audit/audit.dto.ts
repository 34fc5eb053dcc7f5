import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { AUDIT_ACTIONS, AuditAction } from './audit-actions';
import { AuditLogEntry } from './audit-log.entity';
import { Optional } from 'src/common/validation/presence';

export class AuditQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, description: 'Only this kind of event.' })
  @Optional()
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of: ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events done by this user.' })
  @Optional()
  @IsUUID('all', { message: 'actor_id must be a UUID' })
  actor_id?: string;

  @ApiPropertyOptional({ description: 'Only events about this target (usually a user id).', maxLength: 64 })
  @Optional()
  @IsString()
  @MaxLength(64)
  target_id?: string;

  @ApiPropertyOptional({ example: 'user', description: 'Only events about this kind of target.', maxLength: 32 })
  @Optional()
  @IsString()
  @Matches(/^[a-z_]{1,32}$/, { message: 'target_type must be lowercase letters and _' })
  target_type?: string;

  @ApiPropertyOptional({ example: '203.0.113.7', description: 'Only events from this client IP.', maxLength: 64 })
  @Optional()
  @IsString()
  @MaxLength(64)
  ip?: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  occurred_at!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who did it; null for anonymous callers and the CLI.' })
  actor_id!: string | null;

  @ApiProperty({ enum: AUDIT_ACTIONS, example: 'auth.login_failed' })
  action!: AuditAction;

  @ApiProperty({ type: String, nullable: true, example: 'user' })
  target_type!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Id of the target (a user, an API token, …).' })
  target_id!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The X-Request-Id of the request that caused it.' })
  request_id!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
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
