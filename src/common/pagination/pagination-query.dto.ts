import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Optional } from 'src/common/validation/presence';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The list parameters every paginated endpoint accepts. Resource filters extend this class. */
export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  page_size: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ description: 'Sort field; prefix with `-` for descending, e.g. `-created_at`.', example: '-created_at' })
  @Optional()
  @IsString()
  @Matches(/^-?[a-z_]{1,64}$/, { message: 'ordering must be a field name, optionally prefixed with -' })
  ordering?: string;

  @ApiPropertyOptional({ description: 'Free-text search across the resource’s searchable fields.', maxLength: 200 })
  @Optional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ description: 'Only items on or after this instant (ISO 8601).', type: String, format: 'date-time' })
  @Optional()
  @Type(() => Date)
  @IsDate({ message: 'date_after must be an ISO 8601 date' })
  date_after?: Date;

  @ApiPropertyOptional({ description: 'Only items before this instant (ISO 8601).', type: String, format: 'date-time' })
  @Optional()
  @Type(() => Date)
  @IsDate({ message: 'date_before must be an ISO 8601 date' })
  date_before?: Date;
}
