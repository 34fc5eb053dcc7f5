import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Optional } from 'src/common/validation/presence';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Deep enough for any list a person pages through; a larger page would make the row offset overflow. */
export const MAX_PAGE = 100_000;
export const SEARCH_MAX_LENGTH = 200;
const ORDERING_PATTERN = /^-?[a-z_]{1,64}$/;
/** Longest `date_after`/`date_before` text: ISO 8601 needs at most 35 characters; the rest is slack for other parseable forms. */
export const DATE_QUERY_MAX_LENGTH = 64;

/** An optional instant in the query string: parsed as a date only when at most DATE_QUERY_MAX_LENGTH long, else a 400. */
const DateQueryField = (name: string, description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description, type: String, format: 'date-time', maxLength: DATE_QUERY_MAX_LENGTH }),
    Optional(),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.length <= DATE_QUERY_MAX_LENGTH ? new Date(value) : value)),
    IsDate({ message: `${name} must be an ISO 8601 date` }),
  );

/** The list parameters every paginated endpoint accepts. Resource filters extend this class. */
export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  page_size: number = DEFAULT_PAGE_SIZE;

  // Lists document their accepted values with @ApiOrdering (paginate.ts).
  @ApiPropertyOptional({
    description: 'Sort field; prefix with `-` for descending, e.g. `-created_at`.',
    example: '-created_at',
    pattern: ORDERING_PATTERN.source,
    maxLength: 65,
  })
  @Optional()
  @IsString()
  @Matches(ORDERING_PATTERN, { message: 'ordering must be a field name, optionally prefixed with -' })
  ordering?: string;

  @ApiPropertyOptional({ description: 'Free-text search across the resource’s searchable fields.', maxLength: SEARCH_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(SEARCH_MAX_LENGTH)
  search?: string;

  @DateQueryField('date_after', 'Only items on or after this instant (ISO 8601).')
  date_after?: Date;

  @DateQueryField('date_before', 'Only items before this instant (ISO 8601).')
  date_before?: Date;
}
