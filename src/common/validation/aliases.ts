import { AppException } from 'src/common/errors/app.exception';

/**
 * The one value given among a field's aliases (HumanLink's name and the other seeds'): a 400
 * naming `field` when none or several are sent.
 */
export function oneOfAliases(candidates: Array<[name: string, value: string | undefined]>, field: string): string {
  const given = candidates.filter(([, value]) => value !== undefined);
  if (given.length !== 1) throw AppException.validation(field, `send exactly one of ${candidates.map(([name]) => name).join(', ')}`);
  return given[0][1]!;
}
