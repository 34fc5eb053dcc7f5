import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { UuidField } from 'src/common/validation/uuid-param';
import { CRISIS_CATEGORIES, type CrisisCategory } from 'src/modules/safety/safety.types';
import { CrisisResourcesDto } from 'src/modules/safety/safety.dto';
import { SafetyPlanDto } from 'src/modules/safety-plans/safety-plans.dto';
import { NAME_MAX_LENGTH } from 'src/modules/users/user.fields';
import { RISK_FLAG_STATUSES, RISK_OUTCOMES, RISK_SEVERITIES, RISK_SOURCES, type RiskFlagStatus, type RiskOutcome, type RiskSeverity, type RiskSource } from './risk-flags.types';

export const NOTE_MAX_LENGTH = 4000;
const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export class RiskFlagUserDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: NAME_MAX_LENGTH })
  first_name!: string;

  @ApiProperty({ maxLength: NAME_MAX_LENGTH })
  last_name!: string;
}

/** One text that raised or joined the flag: where it is, never what it says. */
export class RiskDetectionDto {
  @ApiProperty({ enum: RISK_SOURCES })
  source!: RiskSource;

  @ApiUuidProperty({ description: 'The message, mood entry, goal progress entry or screener response.' })
  reference_id!: string;

  @ApiProperty({ enum: CRISIS_CATEGORIES, isArray: true, maxItems: CRISIS_CATEGORIES.length })
  categories!: CrisisCategory[];

  @ApiProperty({ minimum: 0, maximum: 1 })
  confidence!: number;

  @ApiDateTimeProperty()
  detected_at!: string;
}

export class RiskFlagNoteDto {
  @ApiUuidProperty()
  id!: string;

  @ApiUuidProperty()
  author_id!: string;

  @ApiProperty({ maxLength: NOTE_MAX_LENGTH })
  text!: string;

  @ApiDateTimeProperty()
  created_at!: string;
}

/** A flag as staff and the care team see it: who, where, what kind, when; never the text. */
export class RiskFlagDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ type: RiskFlagUserDto })
  user!: RiskFlagUserDto;

  @ApiProperty({ enum: RISK_SOURCES, description: 'Where the first detection was written.' })
  source!: RiskSource;

  @ApiUuidProperty({ nullable: true, description: 'The chat or companion conversation, when there is one.' })
  conversation_id!: string | null;

  @ApiProperty({ enum: CRISIS_CATEGORIES, isArray: true, maxItems: CRISIS_CATEGORIES.length })
  categories!: CrisisCategory[];

  @ApiProperty({ enum: RISK_SEVERITIES })
  severity!: RiskSeverity;

  @ApiProperty({ minimum: 0, maximum: 1 })
  confidence!: number;

  @ApiProperty({ minimum: 1, description: 'Texts that raised or joined it.' })
  detections!: number;

  @ApiProperty({ enum: RISK_FLAG_STATUSES })
  status!: RiskFlagStatus;

  @ApiDateTimeProperty()
  first_detected_at!: string;

  @ApiDateTimeProperty()
  last_detected_at!: string;

  @ApiDateTimeProperty({ description: 'Acknowledge by then, or it is paged to all staff again.' })
  ack_deadline_at!: string;

  @ApiProperty({ minimum: 0, description: 'Times it was paged again for want of an acknowledgement.' })
  escalation_level!: number;

  @ApiUuidProperty({ nullable: true })
  acknowledged_by!: string | null;

  @ApiDateTimeProperty({ nullable: true })
  acknowledged_at!: string | null;

  @ApiUuidProperty({ nullable: true })
  resolved_by!: string | null;

  @ApiDateTimeProperty({ nullable: true })
  resolved_at!: string | null;

  @ApiProperty({ enum: RISK_OUTCOMES, nullable: true })
  outcome!: RiskOutcome | null;
}

/** One flag with its detections and staff notes. */
export class RiskFlagDetailDto extends RiskFlagDto {
  @ApiProperty({ type: [RiskDetectionDto], maxItems: 1000 })
  detection_list!: RiskDetectionDto[];

  @ApiProperty({ type: [RiskFlagNoteDto], maxItems: 1000 })
  notes!: RiskFlagNoteDto[];
}

export class RiskFlagQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: RISK_FLAG_STATUSES, description: 'Only flags in this state (default: every state).' })
  @Optional()
  @IsIn(RISK_FLAG_STATUSES)
  status?: RiskFlagStatus;

  @ApiPropertyOptional({ enum: RISK_SEVERITIES })
  @Optional()
  @IsIn(RISK_SEVERITIES)
  severity?: RiskSeverity;

  @UuidField({ optional: true, description: 'Only this user’s flags.' })
  user_id?: string;
}

export class AddRiskNoteDto {
  @ApiProperty({ minLength: 1, maxLength: NOTE_MAX_LENGTH, description: 'What was done or found; encrypted at rest, shown to staff only.' })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(NOTE_MAX_LENGTH)
  text!: string;
}

export class ResolveRiskFlagDto {
  @ApiProperty({ enum: RISK_OUTCOMES })
  @IsIn(RISK_OUTCOMES)
  outcome!: RiskOutcome;

  @ApiPropertyOptional({ minLength: 1, maxLength: NOTE_MAX_LENGTH, description: 'A closing note, stored like other notes.' })
  @Optional()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(NOTE_MAX_LENGTH)
  note?: string;
}

/** What someone in crisis is shown: their country's helplines, their safety plan, their alarm. */
export class CrisisSupportDto {
  @ApiProperty({ type: CrisisResourcesDto })
  resources!: CrisisResourcesDto;

  @ApiProperty({ type: SafetyPlanDto, nullable: true, description: 'Your current safety plan (see the safety-plans routes), or null.' })
  safety_plan!: SafetyPlanDto | null;

  @ApiProperty({ description: 'Whether pressing your alarm would reach someone (a contact with email or a therapist).' })
  alarm_available!: boolean;
}
