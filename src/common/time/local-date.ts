import { DateTime } from 'luxon';

/** One formatter per time zone: building an Intl formatter costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The calendar day (`YYYY-MM-DD`) of `instant` in the IANA `timeZone`. Computed by Node's
 * ICU, not the database, so the answer does not depend on the server's time-zone data.
 */
export function localDateIn(instant: Date, timeZone: string): string {
  const parts = new Map(formatterFor(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.get('year')}-${parts.get('month')}-${parts.get('day')}`;
}

/** When the calendar day of `instant` ends in the IANA `timeZone` (the next local midnight, DST-aware). */
export function nextLocalMidnight(instant: Date, timeZone: string): Date {
  return DateTime.fromJSDate(instant, { zone: timeZone }).plus({ days: 1 }).startOf('day').toJSDate();
}
