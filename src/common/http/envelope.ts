import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PaginationMeta {
  @ApiProperty({ example: 57, description: 'Total number of items across all pages.' })
  count!: number;

  @ApiProperty({ example: 2 })
  page!: number;

  @ApiProperty({ example: 20 })
  page_size!: number;

  @ApiProperty({ example: 3 })
  total_pages!: number;

  @ApiProperty({ type: String, nullable: true, example: 'http://localhost:3000/api/v1/things?page=3&page_size=20' })
  next!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'http://localhost:3000/api/v1/things?page=1&page_size=20' })
  previous!: string | null;
}

/** What a controller returns for a paginated list; the envelope (EnvelopingFastifyAdapter) spreads it. */
export class Paginated<T> {
  constructor(
    readonly items: T[],
    readonly count: number,
    readonly page: number,
    readonly pageSize: number,
  ) {}

  map<U>(fn: (item: T) => U): Paginated<U> {
    return new Paginated(this.items.map(fn), this.count, this.page, this.pageSize);
  }
}

/** A result with a human message alongside the data (e.g. "User registered successfully"). */
export class WithMessage<T> {
  constructor(
    readonly data: T,
    readonly message: string,
  ) {}
}

export class SuccessEnvelopeBase {
  @ApiProperty({ example: true, enum: [true] })
  success!: true;

  @ApiPropertyOptional({ example: 'Done.' })
  message?: string;
}

export class CursorMeta {
  @ApiProperty({ description: 'More items exist beyond this page in the direction asked.' })
  has_more!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `before` for the next older page.' })
  before!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next newer page.' })
  after!: string | null;
}

/** A cursor-paginated list: costs the same on the first and the millionth item. */
export class CursorPage<T> {
  constructor(
    readonly items: T[],
    readonly cursor: CursorMeta,
  ) {}
}
