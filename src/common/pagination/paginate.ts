import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { PaginationQueryDto } from './pagination-query.dto';

/**
 * How a list may be sorted. Each service exports its own as a constant, so paginate()
 * and the list's `@ApiOrdering` documentation read the same map.
 */
export interface ListOrdering {
  /** API field name → SQL expression (qualified with the query's alias) that may be sorted on. */
  orderable: Record<string, string>;
  /** Default `ordering` value, e.g. `-created_at`. */
  defaultOrdering: string;
}

export interface PaginateOptions extends ListOrdering {
  /** SQL expressions matched case-insensitively by `search`. */
  searchable?: string[];
  /** SQL expression that `date_after` / `date_before` apply to. */
  dateColumn?: string;
  /** A unique SQL expression used to break ties so pages never overlap. */
  tieBreaker: string;
}

/** Every accepted `ordering` value of a list: each field, ascending and descending. */
export function orderingValues(orderable: Record<string, string>): string[] {
  return Object.keys(orderable).flatMap((field) => [field, `-${field}`]);
}

/** The SQL column an `ordering` value names; a 400 naming the accepted values otherwise. */
export function orderingColumn(ordering: string, options: ListOrdering): string {
  const field = ordering.replace(/^-/, '');
  // A Map, never `orderable[field]`: `__proto__` or `constructor` would find the prototype's members.
  const column = new Map(Object.entries(options.orderable)).get(field);
  if (!column) {
    throw AppException.validation('ordering', `ordering must be one of: ${orderingValues(options.orderable).join(', ')}`);
  }
  return column;
}

/** A list's sort, checked: the `ordering` field (400 naming the accepted ones otherwise) and its direction. */
export function sortOf<F extends string>(ordering: string | undefined, options: ListOrdering & { orderable: Record<F, string> }): { field: F; direction: 'ASC' | 'DESC' } {
  const value = ordering ?? options.defaultOrdering;
  orderingColumn(value, options);
  return { field: value.replace(/^-/, '') as F, direction: value.startsWith('-') ? 'DESC' : 'ASC' };
}

/**
 * The total of a list read by a statement that counts with a window function (each row
 * carries `total`): from the first row, or for an empty page, none on page 1 and otherwise
 * `count()` (a page past the end has no row to carry it).
 */
export async function windowTotal(rows: ReadonlyArray<{ total: number }>, page: number, count: () => Promise<number>): Promise<number> {
  if (rows.length > 0) return rows[0].total;
  return page === 1 ? 0 : count();
}

/** An ILIKE pattern matching `text` anywhere, its own `%`, `_` and backslashes taken literally. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Applies the shared list parameters to a query and returns one page with the total
 * count. Unknown `ordering` fields are a 400 naming the accepted ones.
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  params: PaginationQueryDto,
  options: PaginateOptions,
): Promise<Paginated<T>> {
  const ordering = params.ordering ?? options.defaultOrdering;
  const column = orderingColumn(ordering, options);
  const direction = ordering.startsWith('-') ? 'DESC' : 'ASC';
  if (params.search && options.searchable?.length) {
    query.andWhere(`(${options.searchable.map((s) => `${s} ILIKE :search`).join(' OR ')})`, { search: containsPattern(params.search) });
  }
  if (options.dateColumn && params.date_after) query.andWhere(`${options.dateColumn} >= :dateAfter`, { dateAfter: params.date_after });
  if (options.dateColumn && params.date_before) query.andWhere(`${options.dateColumn} < :dateBefore`, { dateBefore: params.date_before });
  query
    .orderBy(column, direction)
    .addOrderBy(options.tieBreaker, direction)
    .skip((params.page - 1) * params.page_size)
    .take(params.page_size);
  // With joins TypeORM pages in two statements (ids first), where a window count would
  // count only the page: those lists count separately.
  if (query.expressionMap.joinAttributes.length > 0) {
    const [items, count] = await query.getManyAndCount();
    return new Paginated(items, count, params.page, params.page_size);
  }
  // The page and the total in one statement (a window count); only a page past the end,
  // which has no row to carry the total, needs a separate count.
  const { entities, raw } = await query.addSelect('COUNT(*) OVER ()', PAGE_TOTAL_ALIAS).getRawAndEntities<Record<string, unknown>>();
  const count = raw.length > 0 ? Number(raw[0][PAGE_TOTAL_ALIAS]) : await query.getCount();
  return new Paginated(entities, count, params.page, params.page_size);
}

const PAGE_TOTAL_ALIAS = 'haven_page_total';
