import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CRISIS_CATEGORIES, type AssessedLanguage, type CrisisCategory } from './safety.types';

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
