import { QueryBoolean } from 'src/common/validation/query-boolean';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsEnum } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { UuidField } from 'src/common/validation/uuid-param';
import { UserSummaryDto } from 'src/modules/chat/chat.dto';
import { CARE_SCOPES, CareScope } from './care-team.types';

const ScopesField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      type: 'array',
      items: { type: 'string', enum: CARE_SCOPES },
      minItems: 1,
      maxItems: CARE_SCOPES.length,
      uniqueItems: true,
      example: [CareScope.Mood, CareScope.Goals],
      description: 'What the therapist may read: mood (mood log), goals (goals and progress), screeners (PHQ-9/GAD-7 results), alarms (alarms and their deliveries).',
    }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(CARE_SCOPES.length),
    ArrayUnique(),
    IsEnum(CareScope, { each: true, message: `scopes must each be one of: ${CARE_SCOPES.join(', ')}` }),
  );

export class CreateCareGrantDto {
  @UuidField({ description: 'A verified therapist you have a direct chat with.' })
  therapist_id!: string;

  @ScopesField()
  scopes!: CareScope[];
}

export class UpdateCareGrantDto {
  @ScopesField()
  scopes!: CareScope[];
}

export class CareGrantListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: 'true: only grants in force; false: only revoked ones. Default: all.' })
  @Optional()
  @QueryBoolean()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class CareGrantDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ type: UserSummaryDto, description: 'Whose data is shared.' })
  client!: UserSummaryDto;

  @ApiProperty({ type: UserSummaryDto, description: 'Who may read it.' })
  therapist!: UserSummaryDto;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: CARE_SCOPES }, maxItems: CARE_SCOPES.length })
  scopes!: CareScope[];

  @ApiProperty({ description: 'False once revoked.' })
  active!: boolean;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty({ nullable: true })
  updated_at!: string | null;

  @ApiDateTimeProperty({ nullable: true })
  revoked_at!: string | null;
}
