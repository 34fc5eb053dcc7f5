import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { Role } from 'src/common/access/permissions';
import { DataSource } from 'typeorm';
import { grantCare, revokeCare } from './support/care-team';
import { openChat, verifiedProvider } from './support/chat';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';

const DAY = 86_400_000;
const MOODS = ['happy', 'calm', 'content', 'neutral', 'tired', 'sad', 'anxious', 'stressed', 'angry', 'lonely'];
const zeroCounts = (): Record<string, number> => Object.fromEntries(MOODS.map((m) => [m, 0]));

/** The calendar day of `instant` in `timeZone`, as the server computes it. */
function localDate(instant: Date, timeZone: string): string {
  const parts = new Map(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant).map((p) => [p.type, p.value]),
  );
  return `${parts.get('year')}-${parts.get('month')}-${parts.get('day')}`;
}

/** `YYYY-MM-DD` plus `days`. */
const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** A minimal RFC 4180 reader: quoted fields with doubled quotes and embedded line breaks, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

describe('mood log', () => {
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApp();
    db = api.resolve(DataSource);
  });
  afterAll(async () => {
    await api?.close();
  });

  const setZone = async (user: TestUser, timeZone: string): Promise<void> => {
    const res = await api.patch('/api/v1/users/me', { time_zone: timeZone }, { token: user.access });
    expect(res.status).toBe(200);
  };
  const log = async (user: TestUser, body: Record<string, unknown>): Promise<any> => {
    const res = await api.post('/api/v1/mood/entries', body, { token: user.access });
    expect([res.status, res.body.errors]).toEqual([201, undefined]);
    return res.body.data;
  };
  const analytics = async (user: TestUser, query = ''): Promise<any> => {
    const res = await api.get(`/api/v1/mood/analytics${query}`, { token: user.access });
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const storedCount = async (user: TestUser): Promise<number> =>
    (await db.query('SELECT count(*)::int AS n FROM mood_entries WHERE user_id = $1', [user.id]))[0].n;

  it('logs an entry with its local date, keeps the note encrypted at rest, and reads it back', async () => {
    const user = await registerUser(api);
    await setZone(user, 'Europe/Berlin');
    const loggedAt = new Date(Date.now() - 2 * DAY);
    const entry = await log(user, { mood: 'calm', intensity: 6, note: 'Walked by the river.', tags: ['walk', 'outdoors', 'walk'], logged_at: loggedAt.toISOString() });
    expect(entry).toMatchObject({
      mood: 'calm',
      intensity: 6,
      note: 'Walked by the river.',
      tags: ['walk', 'outdoors'],
      logged_at: loggedAt.toISOString(),
      local_date: localDate(loggedAt, 'Europe/Berlin'),
      time_zone: 'Europe/Berlin',
    });
    expect(entry.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(Date.parse(entry.created_at) - Date.now())).toBeLessThan(60_000);

    const [row] = await db.query('SELECT note FROM mood_entries WHERE id = $1', [entry.id]);
    expect(row.note).toMatch(/^enc1\./);
    expect(row.note).not.toContain('river');

    const fetched = await api.get(`/api/v1/mood/entries/${entry.id}`, { token: user.access });
    expect(fetched.status).toBe(200);
    expect(fetched.body.data).toEqual(entry);

    // Defaults: now, no intensity, no note, no tags.
    const plain = await log(user, { mood: 'happy' });
    expect(plain).toMatchObject({ intensity: null, note: null, tags: [] });
    expect(Math.abs(Date.parse(plain.logged_at) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const user = await registerUser(api);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ mood: 'happy', intensity: 11 }, 'intensity'],
      [{ mood: 'happy', intensity: 0 }, 'intensity'],
      [{ mood: 'happy', intensity: 5.5 }, 'intensity'],
      [{ mood: 'ecstatic' }, 'mood'],
      [{}, 'mood'],
      [{ mood: 'happy', logged_at: new Date(Date.now() + 5 * 60_000).toISOString() }, 'logged_at'],
      [{ mood: 'happy', logged_at: new Date(Date.now() - 31 * DAY).toISOString() }, 'logged_at'],
      [{ mood: 'happy', logged_at: '2026-02-30T10:00:00Z' }, 'logged_at'],
      [{ mood: 'happy', logged_at: '2026-11-30T10:00:00' }, 'logged_at'],
      [{ mood: 'happy', user_id: user.id }, 'user_id'],
      [{ mood: 'happy', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'],
      [{ mood: 'happy', tags: ['x'.repeat(33)] }, 'tags'],
      [{ mood: 'happy', tags: ['Upper Case'] }, 'tags'],
      [{ mood: 'happy', note: 'x'.repeat(2001) }, 'note'],
      [{ mood: 'happy', note: null }, 'note'],
      [{ mood: 'happy', note: 'before\u0000after' }, 'note'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post('/api/v1/mood/entries', body, { token: user.access });
      expect([JSON.stringify(body).slice(0, 80), res.status, res.body.code, Object.keys(res.body.errors ?? {})]).toEqual([
        JSON.stringify(body).slice(0, 80),
        400,
        'COMMON.VALIDATION_FAILED',
        [field],
      ]);
    }
    expect(await storedCount(user)).toBe(0);
    // One minute of clock skew is tolerated; 30 days back is the limit.
    await log(user, { mood: 'happy', logged_at: new Date(Date.now() + 20_000).toISOString() });
    await log(user, { mood: 'happy', logged_at: new Date(Date.now() - 30 * DAY + 60_000).toISOString() });
    expect(await storedCount(user)).toBe(2);
  });

  it("answers 404 for another user's entry (get and delete), exactly like a missing id; the owner deletes it", async () => {
    const owner = await registerUser(api);
    const other = await registerUser(api);
    const entry = await log(owner, { mood: 'sad', note: 'private' });
    for (const id of [entry.id, '00000000-0000-4000-8000-000000000000']) {
      const get = await api.get(`/api/v1/mood/entries/${id}`, { token: other.access });
      expect([get.status, get.body.code]).toEqual([404, 'MOOD.NOT_FOUND']);
      const del = await api.delete(`/api/v1/mood/entries/${id}`, { token: other.access });
      expect([del.status, del.body.code]).toEqual([404, 'MOOD.NOT_FOUND']);
    }
    expect((await api.get('/api/v1/mood/entries/not-a-uuid', { token: owner.access })).body.errors).toHaveProperty('id');
    expect(await storedCount(owner)).toBe(1);
    const list = await api.get('/api/v1/mood/entries', { token: other.access });
    expect(list.body.data).toEqual([]);

    const del = await api.delete(`/api/v1/mood/entries/${entry.id}`, { token: owner.access });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ success: true, data: null, message: 'Mood entry deleted.' });
    expect((await api.get(`/api/v1/mood/entries/${entry.id}`, { token: owner.access })).status).toBe(404);
    expect(await storedCount(owner)).toBe(0);
  });

  it('lists newest first by logged_at, paginated, filtered by mood and by date range', async () => {
    const user = await registerUser(api);
    const now = Date.now();
    const at = (daysAgo: number): string => new Date(now - daysAgo * DAY).toISOString();
    await log(user, { mood: 'happy', logged_at: at(3) });
    await log(user, { mood: 'sad', logged_at: at(1) });
    await log(user, { mood: 'happy', logged_at: at(2) });
    await log(user, { mood: 'calm', logged_at: at(5) });

    const all = await api.get('/api/v1/mood/entries', { token: user.access });
    expect(all.body.data.map((e: any) => e.logged_at)).toEqual([at(1), at(2), at(3), at(5)]);
    expect(all.body.pagination).toMatchObject({ count: 4, page: 1 });

    const paged = await api.get('/api/v1/mood/entries?page=2&page_size=3', { token: user.access });
    expect(paged.body.data.map((e: any) => e.logged_at)).toEqual([at(5)]);

    const happy = await api.get('/api/v1/mood/entries?mood=happy', { token: user.access });
    expect(happy.body.data.map((e: any) => e.logged_at)).toEqual([at(2), at(3)]);

    const ranged = await api.get(`/api/v1/mood/entries?date_after=${at(3)}&date_before=${at(1)}`, { token: user.access });
    expect(ranged.body.data.map((e: any) => e.logged_at)).toEqual([at(2), at(3)]);

    await log(user, { mood: 'tired', tags: ['night-shift'], logged_at: at(4) });
    const tagged = await api.get('/api/v1/mood/entries?search=night', { token: user.access });
    expect(tagged.body.data.map((e: any) => e.tags)).toEqual([['night-shift']]);

    const oldest = await api.get('/api/v1/mood/entries?ordering=logged_at', { token: user.access });
    expect(oldest.body.data[0].logged_at).toBe(at(5));

    for (const [query, field] of [
      ['mood=ecstatic', 'mood'],
      ['date_after=yesterday', 'date_after'],
      ['ordering=note', 'ordering'],
      ['user_id=x', 'user_id'],
    ]) {
      const bad = await api.get(`/api/v1/mood/entries?${query}`, { token: user.access });
      expect([query, bad.status, Object.keys(bad.body.errors ?? {})]).toEqual([query, 400, [field]]);
    }
  });

  it('groups by local day in each user’s time zone: counts, longest streak, weekly intensity (Asia/Tokyo vs UTC)', async () => {
    const tokyo = await registerUser(api);
    const utc = await registerUser(api);
    await setZone(tokyo, 'Asia/Tokyo');
    // Ten UTC days ago: far enough for "today" never to touch these days, within the 30-day limit.
    const base = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
    const entries = [
      { mood: 'happy', intensity: 4, logged_at: `${base}T12:00:00.000Z` }, // Tokyo: 21:00 on base; UTC: base
      { mood: 'calm', intensity: 8, logged_at: `${base}T23:30:00.000Z` }, // Tokyo: 08:30 the next day; UTC: base
      { mood: 'sad', logged_at: `${addDays(base, 2)}T10:00:00.000Z` }, // both: base + 2
      { mood: 'happy', intensity: 6, logged_at: `${addDays(base, 2)}T11:00:00.000Z` },
    ];
    for (const user of [tokyo, utc]) for (const body of entries) await log(user, body);

    const tokyoEntries = (await api.get('/api/v1/mood/entries?ordering=logged_at', { token: tokyo.access })).body.data;
    expect(tokyoEntries.map((e: any) => e.local_date)).toEqual([base, addDays(base, 1), addDays(base, 2), addDays(base, 2)]);
    const utcEntries = (await api.get('/api/v1/mood/entries?ordering=logged_at', { token: utc.access })).body.data;
    expect(utcEntries.map((e: any) => e.local_date)).toEqual([base, base, addDays(base, 2), addDays(base, 2)]);

    const counts = { ...zeroCounts(), happy: 2, calm: 1, sad: 1 };
    const inTokyo = await analytics(tokyo);
    expect(inTokyo).toMatchObject({ mood_counts: counts, total_entries: 4, current_streak: 0, longest_streak: 3, time_zone: 'Asia/Tokyo', last_entry_date: addDays(base, 2) });
    expect(Object.keys(inTokyo.mood_counts)).toEqual(MOODS);
    const inUtc = await analytics(utc);
    expect(inUtc).toMatchObject({ mood_counts: counts, total_entries: 4, current_streak: 0, longest_streak: 1, time_zone: 'UTC' });

    // Weekly intensity: the mean of the entries that have one, per ISO week of the local dates.
    const weeks = (data: any): number => data.weekly_intensity.reduce((sum: number, w: any) => sum + w.entries, 0);
    expect(weeks(inTokyo)).toBe(4);
    expect(inTokyo.weekly_intensity[0].week).toMatch(/^\d{4}-W\d{2}$/);
    if (inUtc.weekly_intensity.length === 1) expect(inUtc.weekly_intensity[0]).toMatchObject({ average_intensity: 6, entries: 4 });

    // A range limits counts and the longest streak: only base + 1 onwards (Tokyo: two days).
    const ranged = await analytics(tokyo, `?date_after=${base}T20:00:00.000Z`);
    expect(ranged).toMatchObject({ mood_counts: { ...zeroCounts(), calm: 1, sad: 1, happy: 1 }, total_entries: 3, longest_streak: 2 });
    const bad = await api.get(`/api/v1/mood/analytics?date_after=${base}T20:00:00Z&date_before=${base}T10:00:00Z`, { token: tokyo.access });
    expect([bad.status, Object.keys(bad.body.errors)]).toEqual([400, ['date_before']]);

    // Moving to another zone later does not move old entries.
    await setZone(tokyo, 'UTC');
    expect(await analytics(tokyo)).toMatchObject({ longest_streak: 3, time_zone: 'UTC' });
    const after = (await api.get('/api/v1/mood/entries?ordering=logged_at', { token: tokyo.access })).body.data;
    expect(after.map((e: any) => e.local_date)).toEqual(tokyoEntries.map((e: any) => e.local_date));
  });

  it('a streak ending yesterday is still current; one ending two days ago is not (in the user’s zone)', async () => {
    const zone = 'Pacific/Auckland';
    const current = await registerUser(api);
    const lapsed = await registerUser(api);
    const empty = await registerUser(api);
    for (const user of [current, lapsed, empty]) await setZone(user, zone);
    const today = localDate(new Date(), zone);
    // Noon local time on a past day: in the past whatever the hour now, and unambiguously on that day.
    const offsetMs = (instant: Date): number => {
      const parts = new Map(
        new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
          .formatToParts(instant)
          .map((p) => [p.type, p.value]),
      );
      const wall = Date.parse(`${parts.get('year')}-${parts.get('month')}-${parts.get('day')}T${parts.get('hour')}:${parts.get('minute')}:00Z`);
      return wall - Math.floor(instant.getTime() / 60_000) * 60_000;
    };
    const noonOn = (date: string): string => {
      const wallNoon = Date.parse(`${date}T12:00:00Z`);
      return new Date(wallNoon - offsetMs(new Date(wallNoon))).toISOString();
    };
    for (const daysAgo of [1, 2, 3]) await log(current, { mood: 'content', logged_at: noonOn(addDays(today, -daysAgo)) });
    await log(current, { mood: 'tired', logged_at: noonOn(addDays(today, -6)) });
    for (const daysAgo of [2, 3, 4, 5]) await log(lapsed, { mood: 'tired', logged_at: noonOn(addDays(today, -daysAgo)) });

    const live = await analytics(current);
    expect(live).toMatchObject({ current_streak: 3, longest_streak: 3, today, last_entry_date: addDays(today, -1), time_zone: zone });
    const gone = await analytics(lapsed);
    expect(gone).toMatchObject({ current_streak: 0, longest_streak: 4, last_entry_date: addDays(today, -2) });
    expect(await analytics(empty)).toMatchObject({ mood_counts: zeroCounts(), total_entries: 0, current_streak: 0, longest_streak: 0, last_entry_date: null, weekly_intensity: [] });

    // Logging today extends the current streak.
    await log(current, { mood: 'happy' });
    expect(await analytics(current)).toMatchObject({ current_streak: 4 });
  });

  it('exports CSV: a header, RFC 4180 quoting, formulas neutralised, filters, an attachment name; bad filters in the JSON envelope', async () => {
    const user = await registerUser(api);
    const now = Date.now();
    const older = new Date(now - 3 * DAY).toISOString();
    const newer = new Date(now - DAY).toISOString();
    await log(user, { mood: 'anxious', intensity: 7, note: '=HYPERLINK("x")', tags: ['-dash', 'work'], logged_at: older });
    await log(user, { mood: 'calm', note: 'two\r\nlines, "quoted" @home', logged_at: newer });
    await log(user, { mood: 'sad', note: '+1 and @x', logged_at: new Date(now - 2 * DAY).toISOString() });

    const res = await api.get('/api/v1/mood/export.csv', { token: user.access });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="mood-\d{4}-\d{2}-\d{2}\.csv"$/);
    // fetch's text() drops a byte-order mark: look at the bytes.
    const raw = Buffer.from(await (await fetch(`${api.url}/api/v1/mood/export.csv`, { headers: { authorization: `Bearer ${user.access}` } })).arrayBuffer());
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = raw.subarray(3).toString('utf8');
    expect(res.text).toBe(body);
    expect(body.startsWith('logged_at,local_date,mood,intensity,tags,note\r\n')).toBe(true);
    // Quoted because of its quotes, neutralised by the leading quote mark.
    expect(body).toContain(`,anxious,7,'-dash;work,"'=HYPERLINK(""x"")"\r\n`);
    const rows = parseCsv(body);
    expect(rows).toEqual([
      ['logged_at', 'local_date', 'mood', 'intensity', 'tags', 'note'],
      [older, older.slice(0, 10), 'anxious', '7', "'-dash;work", `'=HYPERLINK("x")`],
      [expect.any(String), expect.any(String), 'sad', '', '', "'+1 and @x"],
      [newer, newer.slice(0, 10), 'calm', '', '', 'two\r\nlines, "quoted" @home'],
    ]);

    const filtered = await api.get(`/api/v1/mood/export.csv?date_after=${new Date(now - 2.5 * DAY).toISOString()}&date_before=${newer}`, { token: user.access });
    expect(parseCsv(filtered.text).map((r) => r[2])).toEqual(['mood', 'sad']);

    const other = await registerUser(api);
    const none = await api.get('/api/v1/mood/export.csv', { token: other.access });
    expect(none.text).toBe('logged_at,local_date,mood,intensity,tags,note\r\n');

    for (const [query, field] of [
      ['date_after=soon', 'date_after'],
      [`date_after=${newer}&date_before=${older}`, 'date_before'],
      ['mood=happy', 'mood'],
    ]) {
      const bad = await api.get(`/api/v1/mood/export.csv?${query}`, { token: user.access });
      expect([query, bad.status, bad.headers.get('content-type'), bad.body.success, Object.keys(bad.body.errors ?? {})]).toEqual([
        query,
        400,
        'application/json; charset=utf-8',
        false,
        [field],
      ]);
    }
    expect((await api.get('/api/v1/mood/export.csv')).status).toBe(401);
  });

  const BIG = 100_000;

  it(`streams a large export (${BIG.toLocaleString('en')} entries) in batches without holding it in memory`, async () => {
    const user = await registerUser(api);
    // Ten tags of 32 characters per row make each line ~400 bytes, so holding the export would show.
    const tags = JSON.stringify(Array.from({ length: 10 }, (_, i) => `tag-${i}-${'x'.repeat(26)}`));
    await db.query(
      `INSERT INTO mood_entries (id, user_id, mood, intensity, tags, logged_at, local_date, time_zone)
       SELECT gen_random_uuid(), $1, (ARRAY['happy','calm','content','neutral','tired','sad','anxious','stressed','angry','lonely'])[1 + i % 10],
              1 + i % 10, $2::jsonb, at, (at AT TIME ZONE 'UTC')::date, 'UTC'
       FROM generate_series(1, $3::int) AS i, LATERAL (SELECT now() - interval '20 days' + i * interval '1 second' AS at) t`,
      [user.id, tags, BIG],
    );

    // Forced collections before each sample measure what is retained (live), not garbage awaiting
    // collection; the server runs in this process. Buffers live outside the heap: count them too.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const retained = (): number => {
      gc();
      const usage = process.memoryUsage();
      return usage.heapUsed + usage.external;
    };
    const baseline = retained();
    let peakGrowth = 0;
    let bytes = 0;
    let newlines = 0;
    let sinceSample = 0;
    const started = Date.now();
    const response = await fetch(`${api.url}/api/v1/mood/export.csv`, { headers: { authorization: `Bearer ${user.access}` } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      sinceSample += value.length;
      for (let at = value.indexOf(0x0a); at !== -1; at = value.indexOf(0x0a, at + 1)) newlines++;
      if (sinceSample >= 5 * 1024 * 1024) {
        sinceSample = 0;
        peakGrowth = Math.max(peakGrowth, retained() - baseline);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    expect(newlines).toBe(BIG + 1);
    expect(bytes).toBeGreaterThan(BIG * 350);
    // The export is ~38 MB; holding it (as buffers, a string or rows) would retain at least that.
    // Streaming keeps a batch of rows and the buffered chunks: 0-6 MB in most CI runs, 10 MB
    // once (other work of the process lands between samples), so the bound is 16 MiB.
    expect(peakGrowth).toBeLessThan(16 * 1024 * 1024);
    process.stdout.write(`mood export: ${BIG} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s, peak retained memory growth ${(peakGrowth / 1e6).toFixed(1)} MB\n`);
  }, 90_000);

  describe('shared with the care team', () => {
    it('a granted therapist reads entries and analytics (audited); revoked, other therapists, friends and clients get 404', async () => {
      const admin = await createUserWithRole(api, Role.Admin);
      const therapist = await verifiedProvider(api, admin);
      const otherTherapist = await verifiedProvider(api, admin);
      const friend = await verifiedProvider(api, admin, Role.Friend);
      const client = await registerUser(api);
      const otherClient = await registerUser(api);
      await setZone(client, 'Asia/Tokyo');
      await log(client, { mood: 'anxious', intensity: 8, note: 'before the exam' });
      const entries = `/api/v1/clients/${client.id}/mood/entries`;
      const stats = `/api/v1/clients/${client.id}/mood/analytics`;
      const expectHidden = async (viewer: TestUser): Promise<void> => {
        for (const path of [entries, stats]) {
          const res = await api.get(path, { token: viewer.access });
          expect([viewer.role, path, res.status, res.body.code]).toEqual([viewer.role, path, 404, 'MOOD.NOT_FOUND']);
        }
      };

      await openChat(api, client, therapist);
      await openChat(api, client, otherTherapist);
      await openChat(api, client, friend);
      for (const viewer of [therapist, otherTherapist, friend, otherClient, admin]) await expectHidden(viewer);

      const grantId = await grantCare(api, client, therapist, ['mood']);
      const list = await api.get(entries, { token: therapist.access });
      expect(list.status).toBe(200);
      expect(list.body.data).toEqual([expect.objectContaining({ mood: 'anxious', intensity: 8, note: 'before the exam', time_zone: 'Asia/Tokyo' })]);
      const shared = await api.get(stats, { token: therapist.access });
      expect(shared.body.data).toMatchObject({ total_entries: 1, current_streak: 1, time_zone: 'Asia/Tokyo' });
      expect((await api.get(`${entries}?mood=bad`, { token: therapist.access })).status).toBe(400);
      const audit = await api.get(`/api/v1/admin/audit-log?action=care.shared_data_read&target_id=${client.id}`, { token: admin.access });
      expect(audit.status).toBe(200);
      expect(audit.body.data.filter((a: any) => a.actor_id === therapist.id).length).toBeGreaterThanOrEqual(2);
      // The grant covers this client's log only, and only for this therapist.
      for (const viewer of [otherTherapist, friend, otherClient, admin]) await expectHidden(viewer);
      const elsewhere = await api.get(`/api/v1/clients/${otherClient.id}/mood/entries`, { token: therapist.access });
      expect(elsewhere.status).toBe(404);
      expect((await api.get(`/api/v1/clients/${client.id}/mood/entries`, { token: client.access })).status).toBe(404);

      await revokeCare(api, client, grantId);
      await expectHidden(therapist);
      await expectHidden(otherTherapist);
    });
  });
});
