/** One formatter per time zone: building an Intl formatter costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (`YYYY-MM-DD`) of `instant` in the IANA `timeZone` (Node's ICU, not the database's zone data). */
export function dayIn(instant: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const parts = new Map(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.get('year')}-${parts.get('month')}-${parts.get('day')}`;
}

/**
 * When the day of `now` ends in `timeZone`: the first second whose day differs, found by
 * bisection (days are 23 to 25 hours long, so it lies within 26 hours of now).
 */
export function nextDayStart(now: Date, timeZone: string): Date {
  const today = dayIn(now, timeZone);
  let low = now.getTime();
  let high = low + 26 * 3_600_000;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2);
    if (dayIn(new Date(middle), timeZone) === today) low = middle;
    else high = middle;
  }
  return new Date(Math.floor(high / 1000) * 1000);
}
