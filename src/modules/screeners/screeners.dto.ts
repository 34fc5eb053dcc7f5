import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsInt, Max, Min } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { UuidField } from 'src/common/validation/uuid-param';
import { NAME_MAX_LENGTH } from 'src/modules/users/user.fields';
import { ANSWER_MAX, ANSWER_MIN, SafetySignalKind, ScreenerInstrument, ScreenerSeverity } from './screeners.types';

/** The longest questionnaire (PHQ-9); the exact count per instrument is checked by the service. */
const MOST_ITEMS = 9;
const FEWEST_ITEMS = 7;
const ITEM_TEXT_MAX_LENGTH = 300;
const SUPPORT_MESSAGE_MAX_LENGTH = 1000;
/** Instrument names, titles and answer labels are short fixed texts. */
const LABEL_MAX_LENGTH = 100;

export class SubmitScreenerDto {
  @ApiProperty({
    type: [Number],
    minItems: FEWEST_ITEMS,
    maxItems: MOST_ITEMS,
    items: { type: 'integer', format: 'int32', minimum: ANSWER_MIN, maximum: ANSWER_MAX },
    example: [0, 1, 2, 1, 0, 0, 1, 0, 0],
    description: 'One answer per item, in order: exactly 9 for phq9, 7 for gad7. 0 Not at all, 1 Several days, 2 More than half the days, 3 Nearly every day.',
  })
  @IsArray()
  @ArrayMinSize(FEWEST_ITEMS)
  @ArrayMaxSize(MOST_ITEMS)
  @IsInt({ each: true, message: 'answers must be integers from 0 to 3' })
  @Min(ANSWER_MIN, { each: true, message: 'answers must be integers from 0 to 3' })
  @Max(ANSWER_MAX, { each: true, message: 'answers must be integers from 0 to 3' })
  answers!: number[];
}

export class ScreenerResponseQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ScreenerInstrument })
  @Optional()
  @IsEnum(ScreenerInstrument)
  instrument?: ScreenerInstrument;
}

export class SafetySignalQueryDto extends PaginationQueryDto {
  @UuidField({ optional: true, description: 'Only this user’s signals.' })
  user_id?: string;
}

export class AnswerOptionDto {
  @ApiProperty({ minimum: ANSWER_MIN, maximum: ANSWER_MAX })
  value!: number;

  @ApiProperty({ maxLength: LABEL_MAX_LENGTH, example: 'Several days' })
  label!: string;
}

export class ScreenerItemDto {
  @ApiProperty({ minimum: 1, maximum: MOST_ITEMS })
  number!: number;

  @ApiProperty({ maxLength: ITEM_TEXT_MAX_LENGTH, example: 'Little interest or pleasure in doing things' })
  text!: string;
}

export class SeverityBandDto {
  @ApiProperty()
  min_score!: number;

  @ApiProperty()
  max_score!: number;

  @ApiProperty({ enum: ScreenerSeverity })
  severity!: ScreenerSeverity;
}

export class ScreenerDto {
  @ApiProperty({ enum: ScreenerInstrument })
  id!: ScreenerInstrument;

  @ApiProperty({ maxLength: LABEL_MAX_LENGTH, example: 'PHQ-9' })
  name!: string;

  @ApiProperty({ maxLength: LABEL_MAX_LENGTH, example: 'Patient Health Questionnaire-9' })
  title!: string;

  @ApiProperty({ maxLength: ITEM_TEXT_MAX_LENGTH, example: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?' })
  question!: string;

  @ApiProperty({ type: [ScreenerItemDto], maxItems: MOST_ITEMS })
  items!: ScreenerItemDto[];

  @ApiProperty({ type: [AnswerOptionDto], maxItems: ANSWER_MAX + 1 })
  answer_options!: AnswerOptionDto[];

  @ApiProperty({ example: 27 })
  max_score!: number;

  @ApiProperty({ type: [SeverityBandDto], maxItems: 10 })
  severity_bands!: SeverityBandDto[];
}

export class ScreenerResponseDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ enum: ScreenerInstrument })
  instrument!: ScreenerInstrument;

  @ApiProperty({ type: [Number], items: { type: 'integer', format: 'int32', minimum: ANSWER_MIN, maximum: ANSWER_MAX }, maxItems: MOST_ITEMS })
  answers!: number[];

  @ApiProperty({ example: 6 })
  total_score!: number;

  @ApiProperty({ example: 27 })
  max_score!: number;

  @ApiProperty({ enum: ScreenerSeverity })
  severity!: ScreenerSeverity;

  @ApiProperty({ description: 'True when an answer needs a check-in (PHQ-9 item 9 above 0); staff and your care team were told, without your answers.' })
  safety_signal!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: SUPPORT_MESSAGE_MAX_LENGTH,
    description: 'Supportive words and crisis resources, when `safety_signal` is true; otherwise null.',
  })
  support_message!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;
}

export class SignalUserDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: NAME_MAX_LENGTH })
  first_name!: string;

  @ApiProperty({ maxLength: NAME_MAX_LENGTH })
  last_name!: string;
}

export class SafetySignalDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ enum: SafetySignalKind })
  kind!: SafetySignalKind;

  @ApiProperty({ type: SignalUserDto })
  user!: SignalUserDto;

  @ApiUuidProperty({ description: 'The response that raised it (its answers are not shown here).' })
  screener_response_id!: string;

  @ApiDateTimeProperty()
  created_at!: string;
}
