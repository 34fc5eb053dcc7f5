import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { Nullable, Optional } from 'src/common/validation/presence';
import {
  SAFETY_PLAN_ITEM_MAX_LENGTH,
  SAFETY_PLAN_MAX_ITEMS,
  SAFETY_PLAN_NAME_MAX_LENGTH,
  SAFETY_PLAN_PHONE_MAX_LENGTH,
  SafetyPlanSections,
} from './safety-plans.types';

/** The largest version a save may build on: the next one must still fit PostgreSQL's integer. */
export const MAX_BASE_VERSION = 2_147_483_646;

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
const trimEach = Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? v.trim() : v)) : value));
const NOT_BLANK = /\S/;

/** A list of short texts: at most SAFETY_PLAN_MAX_ITEMS, each 1–SAFETY_PLAN_ITEM_MAX_LENGTH characters after trimming. */
const TextItems =
  (example: string[], description: string): PropertyDecorator =>
  (target, key) => {
    const name = String(key);
    for (const decorate of [
      ApiProperty({
        required: false,
        type: [String],
        maxItems: SAFETY_PLAN_MAX_ITEMS,
        items: { type: 'string', minLength: 1, maxLength: SAFETY_PLAN_ITEM_MAX_LENGTH },
        example,
        description: `${description} Left out: empty.`,
      }),
      Optional(),
      trimEach,
      IsArray(),
      ArrayMaxSize(SAFETY_PLAN_MAX_ITEMS),
      IsString({ each: true }),
      MaxLength(SAFETY_PLAN_ITEM_MAX_LENGTH, { each: true, message: `each item of ${name} must be at most ${SAFETY_PLAN_ITEM_MAX_LENGTH} characters` }),
      Matches(NOT_BLANK, { each: true, message: `items of ${name} must not be blank` }),
    ]) {
      decorate(target, key);
    }
  };

/** Someone to call: a person or a professional service. */
export class SafetyPlanContactDto {
  @ApiProperty({ example: 'Anna (sister)', minLength: 1, maxLength: SAFETY_PLAN_NAME_MAX_LENGTH })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(SAFETY_PLAN_NAME_MAX_LENGTH)
  name!: string;

  @ApiProperty({ required: false, type: String, nullable: true, example: '+49 151 2345678', minLength: 1, maxLength: SAFETY_PLAN_PHONE_MAX_LENGTH })
  @Nullable()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(SAFETY_PLAN_PHONE_MAX_LENGTH)
  phone?: string | null;
}

const ContactItems =
  (description: string): PropertyDecorator =>
  (target, key) => {
    for (const decorate of [
      ApiProperty({ required: false, type: [SafetyPlanContactDto], maxItems: SAFETY_PLAN_MAX_ITEMS, description: `${description} Left out: empty.` }),
      Optional(),
      IsArray(),
      ArrayMaxSize(SAFETY_PLAN_MAX_ITEMS),
      ValidateNested({ each: true }),
      Type(() => SafetyPlanContactDto),
    ]) {
      decorate(target, key);
    }
  };

/** A new version of the whole plan: every section it leaves out is empty in the new version. */
export class SaveSafetyPlanDto {
  @ApiProperty({
    minimum: 0,
    maximum: MAX_BASE_VERSION,
    example: 0,
    description: 'The version this edit starts from (0 when there is no plan yet). When the plan has moved on since, the save is refused with `SAFETYPLANS.VERSION_CONFLICT`.',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_BASE_VERSION)
  base_version!: number;

  @TextItems(['Not answering messages', 'Staying in bed all day'], 'Warning signs: thoughts, moods, situations that tell a crisis may be coming.')
  warning_signs?: string[];

  @TextItems(['Go for a walk', 'Listen to my playlist'], 'Things I can do on my own to take my mind off my problems.')
  internal_coping_strategies?: string[];

  @TextItems(['The café on Main Street', 'Call Tom to play chess'], 'People and places that help take my mind off things.')
  distraction_people_and_places?: string[];

  @ContactItems('People I can ask for help.')
  people_to_ask_for_help?: SafetyPlanContactDto[];

  @ContactItems('Professionals and agencies I can contact in a crisis.')
  professionals_and_agencies?: SafetyPlanContactDto[];

  @TextItems(['Give my pills to my sister to keep'], 'Making the environment safe.')
  making_environment_safe?: string[];

  @TextItems(['My daughter', 'Finishing my degree'], 'The things most important to me and worth living for.')
  reasons_for_living?: string[];
}

export class SafetyPlanContactViewDto {
  @ApiProperty({ maxLength: SAFETY_PLAN_NAME_MAX_LENGTH })
  name!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: SAFETY_PLAN_PHONE_MAX_LENGTH })
  phone!: string | null;
}

/** A version of a plan with its sections. Version 0 is the empty plan of someone who has none yet. */
export class SafetyPlanDto implements SafetyPlanSections {
  @ApiUuidProperty({ description: 'Whose plan it is.' })
  user_id!: string;

  @ApiProperty({ minimum: 0, description: 'Send it as `base_version` with the next save; 0: no plan yet.' })
  version!: number;

  @ApiUuidProperty({ nullable: true, description: 'Who wrote this version (the user or their therapist); null for version 0.' })
  updated_by!: string | null;

  @ApiDateTimeProperty({ nullable: true, description: 'When this version was written; null for version 0.' })
  updated_at!: string | null;

  @ApiProperty({ type: 'array', maxItems: SAFETY_PLAN_MAX_ITEMS, items: { type: 'string', maxLength: SAFETY_PLAN_ITEM_MAX_LENGTH } })
  warning_signs!: string[];

  @ApiProperty({ type: 'array', maxItems: SAFETY_PLAN_MAX_ITEMS, items: { type: 'string', maxLength: SAFETY_PLAN_ITEM_MAX_LENGTH } })
  internal_coping_strategies!: string[];

  @ApiProperty({ type: 'array', maxItems: SAFETY_PLAN_MAX_ITEMS, items: { type: 'string', maxLength: SAFETY_PLAN_ITEM_MAX_LENGTH } })
  distraction_people_and_places!: string[];

  @ApiProperty({ type: [SafetyPlanContactViewDto], maxItems: SAFETY_PLAN_MAX_ITEMS })
  people_to_ask_for_help!: SafetyPlanContactViewDto[];

  @ApiProperty({ type: [SafetyPlanContactViewDto], maxItems: SAFETY_PLAN_MAX_ITEMS })
  professionals_and_agencies!: SafetyPlanContactViewDto[];

  @ApiProperty({ type: 'array', maxItems: SAFETY_PLAN_MAX_ITEMS, items: { type: 'string', maxLength: SAFETY_PLAN_ITEM_MAX_LENGTH } })
  making_environment_safe!: string[];

  @ApiProperty({ type: 'array', maxItems: SAFETY_PLAN_MAX_ITEMS, items: { type: 'string', maxLength: SAFETY_PLAN_ITEM_MAX_LENGTH } })
  reasons_for_living!: string[];
}

/** One entry of a plan's history (the sections: GET the version). */
export class SafetyPlanVersionSummaryDto {
  @ApiProperty({ minimum: 1 })
  version!: number;

  @ApiUuidProperty({ description: 'Who wrote it.' })
  updated_by!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}
