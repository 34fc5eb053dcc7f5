import { DateTime } from 'luxon';
import { TimeRange } from './providers.types';

/** Interval arithmetic for availability: half-open UTC ranges in epoch milliseconds, kept sorted and merged. */

export const MINUTE_MS = 60_000;
export const MINUTES_PER_DAY = 1440;

export interface WeeklyRuleTimes {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

/** Sorts and merges overlapping or touching ranges. */
export function normalize(ranges: TimeRange[]): TimeRange[] {
  const sorted = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const merged: TimeRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** `ranges` minus `holes`, both normalized, in one pass over each. */
export function subtract(ranges: TimeRange[], holes: TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  let h = 0;
  for (const range of ranges) {
    let start = range.start;
    while (h < holes.length && holes[h].end <= start) h++;
    let k = h;
    while (k < holes.length && holes[k].start < range.end) {
      if (holes[k].start > start) out.push({ start, end: holes[k].start });
      start = Math.max(start, holes[k].end);
      if (holes[k].end > range.end) break;
      k++;
    }
    if (start < range.end) out.push({ start, end: range.end });
  }
  return out;
}

/** The instant of a minute of a local day (1440: the next local midnight). Times in a DST gap move forward, as luxon does. */
function localInstant(day: DateTime, minute: number): number {
  if (minute >= MINUTES_PER_DAY) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }).toMillis();
}

/**
 * The weekly rules as UTC ranges overlapping [from, to): each local day of the window
 * (from one day before, for rules that run past it) applies its weekday's rules in `zone`,
 * so a 09:00 rule is 07:00Z in Berlin's summer and 08:00Z in its winter.
 */
export function weeklyRanges(rules: WeeklyRuleTimes[], zone: string, from: number, to: number): TimeRange[] {
  const byWeekday = new Map<number, WeeklyRuleTimes[]>();
  for (const rule of rules) byWeekday.set(rule.weekday, [...(byWeekday.get(rule.weekday) ?? []), rule]);
  const out: TimeRange[] = [];
  const last = DateTime.fromMillis(to, { zone }).startOf('day');
  for (let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 }); day <= last; day = day.plus({ days: 1 }).startOf('day')) {
    for (const rule of byWeekday.get(day.weekday) ?? []) {
      const start = localInstant(day, rule.startMinute);
      const end = localInstant(day, rule.endMinute);
      if (end > from && start < to) out.push({ start, end });
    }
  }
  return normalize(out);
}

/** Whether [start, end) lies inside one of the normalized ranges. */
export const covers = (ranges: TimeRange[], start: number, end: number): boolean => ranges.some((r) => r.start <= start && end <= r.end);

/**
 * Slot starts on the `stepMs` grid (counted from the epoch, so local quarter hours in every
 * zone) at or after `notBefore`, each with `durationMs` inside one free range.
 */
export function slotsIn(free: TimeRange[], durationMs: number, stepMs: number, notBefore: number, limit: number): TimeRange[] {
  const slots: TimeRange[] = [];
  for (const range of free) {
    for (let start = Math.ceil(Math.max(range.start, notBefore) / stepMs) * stepMs; start + durationMs <= range.end; start += stepMs) {
      slots.push({ start, end: start + durationMs });
      if (slots.length >= limit) return slots;
    }
  }
  return slots;
}

/** "09:30" → 570; "24:00" → 1440. */
export const minuteOfDay = (text: string): number => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));

/** 570 → "09:30". */
export const timeOfDay = (minute: number): string => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
