import { localDateIn, nextLocalMidnight } from './local-date';

describe('local dates', () => {
  it('names the calendar day of an instant in a time zone', () => {
    const instant = new Date('2027-01-15T23:30:00Z');
    expect(localDateIn(instant, 'UTC')).toBe('2027-01-15');
    expect(localDateIn(instant, 'Europe/Berlin')).toBe('2027-01-16');
    expect(localDateIn(instant, 'America/New_York')).toBe('2027-01-15');
  });

  it('finds the next local midnight, also across a daylight-saving change', () => {
    expect(nextLocalMidnight(new Date('2027-01-15T23:30:00Z'), 'Europe/Berlin').toISOString()).toBe('2027-01-16T23:00:00.000Z');
    // 28 March 2027 is 23 hours long in Berlin: it ends at 22:00 UTC, not 23:00.
    expect(nextLocalMidnight(new Date('2027-03-28T10:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2027-03-28T22:00:00.000Z');
    expect(nextLocalMidnight(new Date('2027-03-28T10:00:00Z'), 'UTC').toISOString()).toBe('2027-03-29T00:00:00.000Z');
  });
});
