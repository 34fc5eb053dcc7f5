/**
 * The mood log's analytics and export statements, in one place; each returns plain rows.
 * Ranges are `$2` (date_after, inclusive) and `$3` (date_before, exclusive) on logged_at,
 * either null; COALESCE to ±infinity keeps the condition an index range.
 */

const IN_RANGE = `user_id = $1
  AND logged_at >= COALESCE($2::timestamptz, '-infinity')
  AND logged_at < COALESCE($3::timestamptz, 'infinity')`;

export interface MoodCountRow {
  mood: string;
  entries: number;
}

/** Entries per mood in the range. Params: user, after, before. */
export const MOOD_COUNTS_SQL = `
SELECT mood, count(*)::int AS entries
FROM mood_entries
WHERE ${IN_RANGE}
GROUP BY mood`;

export interface WeeklyIntensityRow {
  week: string;
  entries: number;
  average_intensity: number | null;
}

/** Per ISO week of the local dates: entries and mean intensity, the latest `$4` weeks, oldest first. Params: user, after, before, weeks. */
export const WEEKLY_INTENSITY_SQL = `
SELECT week, entries, average_intensity
FROM (
  SELECT to_char(local_date, 'IYYY-"W"IW') AS week,
         count(*)::int AS entries,
         round(avg(intensity), 2)::float8 AS average_intensity
  FROM mood_entries
  WHERE ${IN_RANGE}
  GROUP BY 1
  ORDER BY 1 DESC
  LIMIT $4
) latest
ORDER BY week`;

export interface StreakRow {
  current_streak: number;
  longest_streak: number;
  last_entry_date: string | null;
}

/**
 * Streaks as gaps and islands over the distinct local dates: within a run of consecutive
 * days, day minus its row number is constant, so each run is one group. The current streak
 * is the whole log's run ending today or yesterday (`$4` is today in the user's zone);
 * the longest is over the range's days. Params: user, after, before, today.
 */
export const STREAKS_SQL = `
WITH all_days AS (
  SELECT DISTINCT local_date AS day FROM mood_entries WHERE user_id = $1
), range_days AS (
  SELECT DISTINCT local_date AS day FROM mood_entries WHERE ${IN_RANGE}
), all_runs AS (
  SELECT max(day) AS last_day, count(*)::int AS length
  FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::int AS island FROM all_days) numbered
  GROUP BY island
), range_runs AS (
  SELECT count(*)::int AS length
  FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::int AS island FROM range_days) numbered
  GROUP BY island
)
SELECT
  COALESCE((SELECT length FROM all_runs WHERE last_day >= $4::date - 1 ORDER BY last_day DESC LIMIT 1), 0) AS current_streak,
  COALESCE((SELECT max(length) FROM range_runs), 0) AS longest_streak,
  (SELECT to_char(max(day), 'YYYY-MM-DD') FROM all_days) AS last_entry_date`;

export interface ExportRow {
  id: string;
  logged_at: string;
  /** logged_at in PostgreSQL's own text form, exact to the microsecond: the next batch's keyset cursor. */
  cursor_at: string;
  local_date: string;
  mood: string;
  intensity: number | null;
  tags: string[];
  note: string | null;
}

/** The first keyset position: before every entry. */
export const EXPORT_START = { at: '-infinity', id: '00000000-0000-0000-0000-000000000000' };

/**
 * One batch of the export, oldest first, after the keyset position (`$4` logged_at, `$5` id)
 * on the (user_id, logged_at, id) index. Params: user, after, before, cursor at, cursor id, batch size.
 */
export const EXPORT_BATCH_SQL = `
SELECT id,
       to_char(logged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS logged_at,
       logged_at::text AS cursor_at,
       to_char(local_date, 'YYYY-MM-DD') AS local_date,
       mood, intensity, tags, note
FROM mood_entries
WHERE ${IN_RANGE}
  AND (logged_at, id) > ($4::timestamptz, $5::uuid)
-- Qualified: a bare logged_at here would name the text column above and sort every remaining row.
ORDER BY mood_entries.logged_at, mood_entries.id
LIMIT $6`;
