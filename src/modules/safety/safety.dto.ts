import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CountryField } from 'src/modules/users/user.fields';
import { CRISIS_CATEGORIES, type AssessedLanguage, type CrisisCategory, type CrisisResources, type Helpline } from './safety.types';

export const ASSESS_TEXT_MAX_LENGTH = 5000;

export class AssessTextDto {
  @ApiProperty({ description: 'The text to assess. Not stored, not logged.', example: 'this traffic is killing me', minLength: 1, maxLength: ASSESS_TEXT_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(ASSESS_TEXT_MAX_LENGTH)
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;
}

export class CrisisAssessmentDto {
  @ApiProperty({ description: 'True when the text shows risk now or very soon (of the writer or someone with them).' })
  crisis!: boolean;

  @ApiProperty({ enum: CRISIS_CATEGORIES, isArray: true, maxItems: CRISIS_CATEGORIES.length, description: 'Strongest first; empty when `crisis` is false.' })
  categories!: CrisisCategory[];

  @ApiProperty({ minimum: 0, maximum: 1, description: 'Strength of the crisis evidence; `crisis` is true from 0.5 up.' })
  confidence!: number;

  @ApiProperty({ enum: ['en', 'ru', 'unknown'], description: 'Detected language (transliterated Russian counts as ru).' })
  language!: AssessedLanguage;
}

export class CrisisResourcesQueryDto {
  @CountryField({ optional: true, description: 'ISO 3166-1 alpha-2 code (`DE`). Without it: the country on your profile, else the international list.' })
  country?: string;
}

export class HelplineDto implements Helpline {
  @ApiProperty({ maxLength: 200, example: 'TelefonSeelsorge' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 40, example: '0800 111 0 111', description: 'Dialable as written, in the country; null when the line has no phone.' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 200, example: 'Text HOME to 741741', description: 'How to reach it by text or chat; null when it has none.' })
  text!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uri', maxLength: 300, example: 'https://www.telefonseelsorge.de' })
  url!: string | null;

  @ApiProperty({ maxLength: 100, example: '24/7', description: 'When it answers (local time).' })
  hours!: string;

  @ApiProperty({ type: 'array', maxItems: 20, items: { type: 'string', minLength: 2, maxLength: 2 }, example: ['de'], description: 'ISO 639-1 codes of the languages it answers in.' })
  languages!: string[];
}

export class CrisisResourcesDto implements CrisisResources {
  @ApiProperty({ type: String, nullable: true, minLength: 2, maxLength: 2, example: 'DE', description: 'The country these lines are for; null: the international list (no entry for the country, or no country known).' })
  country!: string | null;

  @ApiProperty({ maxLength: 20, example: '112', description: 'The local number for an ambulance or a life in danger now.' })
  emergency_number!: string;

  @ApiProperty({ type: [HelplineDto], maxItems: 20 })
  helplines!: HelplineDto[];
}
