import { DateTime } from 'luxon';
import { Role } from 'src/common/access/permissions';
import { ProviderProfilesService } from 'src/modules/providers/provider-profiles.service';
import { DataSource } from 'typeorm';
import { verifiedProvider } from './support/chat';
import { book, bookableProvider, hoursFromNow, profileBody, putProfile, putRules, uniqueTag } from './support/providers';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';

/** The next date (after the coming days) that `pick(year)` gives, as a local DateTime in `zone`. */
function nextChange(zone: string, pick: (year: number) => DateTime): DateTime {
  const soon = DateTime.now().setZone(zone).plus({ days: 5 });
  const thisYear = pick(soon.year);
  return thisYear > soon ? thisYear : pick(soon.year + 1);
}
/** EU summer time ends on the last Sunday of October. */
const lastSundayOfOctober = (year: number): DateTime => {
  const end = DateTime.fromObject({ year, month: 10, day: 31 }, { zone: 'Europe/Berlin' });
  return end.minus({ days: end.weekday % 7 });
};
/** US daylight time starts on the second Sunday of March. */
const secondSundayOfMarch = (year: number): DateTime => {
  const first = DateTime.fromObject({ year, month: 3, day: 1 }, { zone: 'America/New_York' });
  return first.plus({ days: (7 - (first.weekday % 7)) % 7 + 7 });
};

describe('providers: profiles, directory, availability, free slots', () => {
  let api: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    admin = await createUserWithRole(api, Role.Admin);
  });
  afterAll(() => api?.close());

  const slotsOf = async (providerId: string, token: string, query: string) => {
    const res = await api.get(`/api/v1/providers/${providerId}/free-slots?${query}`, { token });
    expect(res.status).toBe(200);
    return res.body.data as { time_zone: string; slots: Array<{ starts_at: string; ends_at: string; local_starts_at: string }> };
  };

  it('a verified provider creates, reads and replaces their profile; others cannot have one', async () => {
    const provider = await verifiedProvider(api, admin);
    expect((await api.get('/api/v1/providers/me/profile', { token: provider.access })).body.code).toBe('PROVIDERS.NOT_FOUND');
    const body = profileBody({ time_zone: undefined, specialties: ['anxiety', 'sleep'], languages: ['en', 'de'], accepting_new_clients: false });
    const created = await api.put('/api/v1/providers/me/profile', body, { token: provider.access });
    expect(created.status).toBe(200);
    expect(created.body.data).toMatchObject({
      id: provider.id,
      role: 'therapist',
      specialties: ['anxiety', 'sleep'],
      languages: ['en', 'de'],
      session_types: ['text', 'video'],
      prices: { text: '30.00', voice: null, video: '49.99' },
      currency: 'EUR',
      time_zone: 'UTC',
      accepting_new_clients: false,
      buffer_minutes: 0,
      rating_average: null,
      rating_count: 0,
    });
    const replaced = await putProfile(api, provider, { session_types: ['voice'], prices: { voice: '40' }, currency: 'JPY', time_zone: 'Asia/Tokyo', buffer_minutes: 15 });
    expect(replaced.body.data).toMatchObject({ session_types: ['voice'], prices: { text: null, voice: '40', video: null }, currency: 'JPY', time_zone: 'Asia/Tokyo', buffer_minutes: 15 });
    expect((await api.get('/api/v1/providers/me/profile', { token: provider.access })).body.data.time_zone).toBe('Asia/Tokyo');

    const client = await registerUser(api);
    expect((await api.put('/api/v1/providers/me/profile', profileBody(), { token: client.access })).body.code).toBe('COMMON.FORBIDDEN');
    const unverified = await registerUser(api, { role: Role.Friend });
    const refused = await api.put('/api/v1/providers/me/profile', profileBody(), { token: unverified.access });
    expect([refused.status, refused.body.code]).toEqual([403, 'AUTH.PROVIDER_NOT_VERIFIED']);
    expect((await api.get('/api/v1/providers/me/availability', { token: unverified.access })).body.code).toBe('AUTH.PROVIDER_NOT_VERIFIED');
  });

  it('refuses bad profiles with 400 naming the field, writing nothing', async () => {
    const provider = await verifiedProvider(api, admin);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ time_zone: 'Mars/Olympus' }, 'time_zone'],
      [{ session_types: ['text', 'phone'] }, 'session_types'],
      [{ prices: { text: '30.00', video: '49.999' } }, 'prices.video'],
      [{ prices: { text: '30.00', video: 'free' } }, 'prices.video'],
      [{ prices: { text: '30.00' } }, 'prices.video'],
      [{ prices: { text: '30.00', video: '10.00', voice: '20.00' } }, 'prices.voice'],
      [{ currency: 'EURO' }, 'currency'],
      [{ languages: ['english'] }, 'languages'],
      [{ buffer_minutes: 121 }, 'buffer_minutes'],
      [{ rating_average: 5 }, 'rating_average'],
      [{ rating_count: 100 }, 'rating_count'],
      [{ prices: { text: '30.00', video: '49.99', audio: '1.00' } }, 'prices.audio'],
    ];
    for (const [overrides, field] of cases) {
      const res = await api.put('/api/v1/providers/me/profile', profileBody(overrides), { token: provider.access });
      expect([JSON.stringify(overrides), res.status, Object.keys(res.body.errors ?? {})]).toEqual([JSON.stringify(overrides), 400, [field]]);
    }
    expect((await api.get('/api/v1/providers/me/profile', { token: provider.access })).status).toBe(404);
  });

  it('the directory lists verified, active providers only, with filters and the rating', async () => {
    const tag = uniqueTag();
    const client = await registerUser(api);
    const cheap = await bookableProvider(api, admin, { profile: { specialties: [tag], languages: ['de'], session_types: ['text'], prices: { text: '20.00' } } });
    const video = await bookableProvider(api, admin, { profile: { specialties: [tag, 'grief'], languages: ['en', 'fr'], prices: { text: '35.00', video: '80.00' } }, role: Role.Friend });
    const hidden = await bookableProvider(api, admin, { profile: { specialties: [tag] } });
    expect((await api.patch(`/api/v1/admin/users/${hidden.id}`, { is_verified: false }, { token: admin.access })).status).toBe(200);
    const noRules = await verifiedProvider(api, admin);
    await putProfile(api, noRules, { specialties: [tag] });

    const ids = async (query: string): Promise<string[]> => {
      const res = await api.get(`/api/v1/providers?specialty=${tag}&page_size=100&${query}`, { token: client.access });
      expect(res.status).toBe(200);
      return (res.body.data as Array<{ id: string }>).map((p) => p.id).sort();
    };
    expect(await ids('')).toEqual([cheap.id, video.id, noRules.id].sort());
    expect(await ids('language=fr')).toEqual([video.id]);
    expect(await ids('type=video')).toEqual([video.id, noRules.id].sort());
    expect(await ids('type=text&price_max=25')).toEqual([cheap.id]);
    expect(await ids('price_min=50')).toEqual([video.id]);
    expect(await ids('price_min=31&price_max=34')).toEqual([]);
    const from = hoursFromNow(24);
    const to = hoursFromNow(48);
    expect(await ids(`available_from=${from}&available_to=${to}`)).toEqual([cheap.id, video.id].sort());
    expect((await api.get(`/api/v1/providers?available_from=${from}`, { token: client.access })).body.errors).toHaveProperty('available_to');
    expect((await api.get('/api/v1/providers?type=phone', { token: client.access })).body.errors).toHaveProperty('type');

    const one = await api.get(`/api/v1/providers/${video.id}`, { token: client.access });
    expect(one.body.data).toMatchObject({ id: video.id, role: 'friend', prices: { text: '35.00', video: '80.00', voice: null } });
    for (const id of [hidden.id, client.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await api.get(`/api/v1/providers/${id}`, { token: client.access });
      expect([res.status, res.body.code]).toEqual([404, 'PROVIDERS.NOT_FOUND']);
    }
    expect((await api.get(`/api/v1/providers/${hidden.id}/free-slots?from=${from}&to=${to}`, { token: client.access })).status).toBe(404);

    // Feedback maintains the rating; the directory shows it.
    const ratings = api.resolve(ProviderProfilesService);
    await api.resolve(DataSource).transaction(async (manager) => {
      await ratings.recordRating(video.id, 5, manager);
      await ratings.recordRating(video.id, 4, manager);
      await ratings.recordRating(video.id, 4, manager);
    });
    expect((await api.get(`/api/v1/providers/${video.id}`, { token: client.access })).body.data).toMatchObject({ rating_average: 4.33, rating_count: 3 });
    const byRating = await api.get(`/api/v1/providers?specialty=${tag}&ordering=-rating`, { token: client.access });
    expect(byRating.body.data[0].id).toBe(video.id);
  });

  it('weekly rules: replace-all, no overlaps, valid times', async () => {
    const provider = await verifiedProvider(api, admin);
    expect((await api.get('/api/v1/providers/me/availability', { token: provider.access })).body.code).toBe('PROVIDERS.PROFILE_REQUIRED');
    await putProfile(api, provider, { time_zone: 'Europe/Berlin', buffer_minutes: 10 });
    const rules = [
      { weekday: 1, start_time: '09:00', end_time: '12:00' },
      { weekday: 1, start_time: '13:00', end_time: '17:30' },
      { weekday: 5, start_time: '22:00', end_time: '24:00' },
    ];
    const saved = await api.put('/api/v1/providers/me/availability', { rules }, { token: provider.access });
    expect(saved.body.data).toEqual({ time_zone: 'Europe/Berlin', buffer_minutes: 10, rules });
    const overlapping = await api.put(
      '/api/v1/providers/me/availability',
      { rules: [...rules, { weekday: 1, start_time: '11:00', end_time: '14:00' }] },
      { token: provider.access },
    );
    expect([overlapping.status, Object.keys(overlapping.body.errors).sort()]).toEqual([400, ['rules.1', 'rules.3']]);
    const backwards = await api.put('/api/v1/providers/me/availability', { rules: [{ weekday: 2, start_time: '12:00', end_time: '09:00' }] }, { token: provider.access });
    expect(Object.keys(backwards.body.errors)).toEqual(['rules.0.end_time']);
    const badTime = await api.put('/api/v1/providers/me/availability', { rules: [{ weekday: 8, start_time: '9am', end_time: '12:00' }] }, { token: provider.access });
    expect(badTime.status).toBe(400);
    expect((await api.get('/api/v1/providers/me/availability', { token: provider.access })).body.data.rules).toEqual(rules);
    await putRules(api, provider, []);
    expect((await api.get('/api/v1/providers/me/availability', { token: provider.access })).body.data.rules).toEqual([]);
  });

  it('free slots across the end of EU summer time: 09:00 Berlin is 07:00Z before, 08:00Z after', async () => {
    const client = await registerUser(api);
    const rules = Array.from({ length: 7 }, (_, i) => ({ weekday: i + 1, start_time: '09:00', end_time: '12:00' }));
    const provider = await bookableProvider(api, admin, { profile: { time_zone: 'Europe/Berlin' }, rules });
    const change = nextChange('Europe/Berlin', lastSundayOfOctober);
    const from = change.minus({ days: 3 }).startOf('day');
    const to = change.plus({ days: 4 }).startOf('day');
    const data = await slotsOf(provider.id, client.access, `from=${from.toUTC().toISO()}&to=${to.toUTC().toISO()}&duration_minutes=60`);
    expect(data.time_zone).toBe('Europe/Berlin');
    // 09:00–11:00 local starts on the quarter hours: 9 a day, 7 days.
    expect(data.slots).toHaveLength(63);
    const firstOfDay = new Map<string, string>();
    for (const slot of data.slots) if (!firstOfDay.has(slot.local_starts_at.slice(0, 10))) firstOfDay.set(slot.local_starts_at.slice(0, 10), slot.starts_at);
    const day = (offset: number): string => change.plus({ days: offset }).toISODate()!;
    expect(firstOfDay.get(day(-1))).toBe(`${day(-1)}T07:00:00.000Z`);
    expect(firstOfDay.get(day(0))).toBe(`${day(0)}T08:00:00.000Z`);
    expect(firstOfDay.get(day(1))).toBe(`${day(1)}T08:00:00.000Z`);
    expect(data.slots.find((s) => s.starts_at === `${day(-1)}T07:00:00.000Z`)?.local_starts_at).toBe(`${day(-1)}T09:00:00.000+02:00`);
    expect(data.slots.find((s) => s.starts_at === `${day(1)}T10:00:00.000Z`)).toEqual({
      starts_at: `${day(1)}T10:00:00.000Z`,
      ends_at: `${day(1)}T11:00:00.000Z`,
      local_starts_at: `${day(1)}T11:00:00.000+01:00`,
    });
    const last = data.slots[data.slots.length - 1];
    expect(last.local_starts_at.slice(11, 16)).toBe('11:00');
  });

  it('free slots across the start of US daylight time: 09:00 New York is 14:00Z before, 13:00Z after', async () => {
    const client = await registerUser(api);
    const rules = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start_time: '09:00', end_time: '12:00' }));
    const provider = await bookableProvider(api, admin, { profile: { time_zone: 'America/New_York' }, rules });
    const change = nextChange('America/New_York', secondSundayOfMarch);
    const from = change.minus({ days: 3 }).startOf('day');
    const to = change.plus({ days: 4 }).startOf('day');
    const data = await slotsOf(provider.id, client.access, `from=${from.toUTC().toISO()}&to=${to.toUTC().toISO()}&duration_minutes=180`);
    // One three-hour slot a day.
    const day = (offset: number): string => change.plus({ days: offset }).toISODate()!;
    expect(data.slots.map((s) => s.starts_at)).toEqual([
      `${day(-3)}T14:00:00.000Z`,
      `${day(-2)}T14:00:00.000Z`,
      `${day(-1)}T14:00:00.000Z`,
      `${day(0)}T13:00:00.000Z`,
      `${day(1)}T13:00:00.000Z`,
      `${day(2)}T13:00:00.000Z`,
      `${day(3)}T13:00:00.000Z`,
    ]);
    expect(data.slots[2].local_starts_at).toBe(`${day(-1)}T09:00:00.000-05:00`);
    expect(data.slots[3].local_starts_at).toBe(`${day(0)}T09:00:00.000-04:00`);
  });

  it('free slots: window limits, never in the past, type offered', async () => {
    const client = await registerUser(api);
    const provider = await bookableProvider(api, admin);
    const now = Date.now();
    const past = await slotsOf(provider.id, client.access, `from=${new Date(now - 86_400_000).toISOString()}&to=${new Date(now + 3_600_000).toISOString()}&duration_minutes=15`);
    expect(past.slots.length).toBeGreaterThan(0);
    expect(past.slots.every((s) => Date.parse(s.starts_at) >= now)).toBe(true);
    expect(past.slots.every((s) => Date.parse(s.starts_at) % 900_000 === 0)).toBe(true);
    const tooLong = await api.get(`/api/v1/providers/${provider.id}/free-slots?from=${hoursFromNow(1)}&to=${hoursFromNow(24 * 32)}`, { token: client.access });
    expect([tooLong.status, Object.keys(tooLong.body.errors)]).toEqual([400, ['to']]);
    const missing = await api.get(`/api/v1/providers/${provider.id}/free-slots?from=${hoursFromNow(1)}`, { token: client.access });
    expect(Object.keys(missing.body.errors)).toEqual(['to']);
    const voice = await api.get(`/api/v1/providers/${provider.id}/free-slots?from=${hoursFromNow(1)}&to=${hoursFromNow(5)}&type=voice`, { token: client.access });
    expect(voice.body.code).toBe('PROVIDERS.TYPE_NOT_OFFERED');
    const badDuration = await api.get(`/api/v1/providers/${provider.id}/free-slots?from=${hoursFromNow(1)}&to=${hoursFromNow(5)}&duration_minutes=241`, { token: client.access });
    expect(Object.keys(badDuration.body.errors)).toEqual(['duration_minutes']);
  });

  it('exceptions: time off removes slots, extra hours add them; another provider’s exception is 404', async () => {
    const client = await registerUser(api);
    const provider = await bookableProvider(api, admin, { rules: [] });
    const other = await bookableProvider(api, admin);
    const base = Date.parse(hoursFromNow(48));
    const at = (minutes: number): string => new Date(base + minutes * 60_000).toISOString();
    const from = at(0);
    const to = at(240);
    const window = `from=${from}&to=${to}&duration_minutes=60`;
    expect((await slotsOf(provider.id, client.access, window)).slots).toEqual([]);

    const extra = await api.post('/api/v1/providers/me/availability/exceptions', { kind: 'extra', starts_at: from, ends_at: at(120) }, { token: provider.access });
    expect(extra.status).toBe(201);
    expect(extra.body.data).toMatchObject({ kind: 'extra', starts_at: from });
    const withExtra = await slotsOf(provider.id, client.access, window);
    expect(withExtra.slots.map((s) => s.starts_at)).toEqual([0, 15, 30, 45, 60].map((m) => new Date(Date.parse(from) + m * 60_000).toISOString()));

    const off = await api.post('/api/v1/providers/me/availability/exceptions', { kind: 'time_off', starts_at: at(30), ends_at: to }, { token: provider.access });
    expect(off.status).toBe(201);
    expect((await slotsOf(provider.id, client.access, window)).slots).toEqual([]);

    const list = await api.get('/api/v1/providers/me/availability/exceptions', { token: provider.access });
    expect(list.body.data.map((e: { id: string }) => e.id).sort()).toEqual([extra.body.data.id, off.body.data.id].sort());
    const foreign = await api.delete(`/api/v1/providers/me/availability/exceptions/${off.body.data.id}`, { token: other.access });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'PROVIDERS.EXCEPTION_NOT_FOUND']);
    expect((await api.delete(`/api/v1/providers/me/availability/exceptions/${off.body.data.id}`, { token: provider.access })).status).toBe(200);
    expect((await slotsOf(provider.id, client.access, window)).slots).toHaveLength(5);

    const backwards = await api.post('/api/v1/providers/me/availability/exceptions', { kind: 'extra', starts_at: to, ends_at: from }, { token: provider.access });
    expect(Object.keys(backwards.body.errors)).toEqual(['ends_at']);
    const badKind = await api.post('/api/v1/providers/me/availability/exceptions', { kind: 'holiday', starts_at: from, ends_at: to }, { token: provider.access });
    expect(Object.keys(badKind.body.errors)).toEqual(['kind']);
  });

  it('booked sessions and the buffer are subtracted from free slots', async () => {
    const client = await registerUser(api);
    const provider = await bookableProvider(api, admin, { profile: { buffer_minutes: 30 } });
    const start = hoursFromNow(72);
    const from = new Date(Date.parse(start) - 2 * 3_600_000).toISOString();
    const to = new Date(Date.parse(start) + 3 * 3_600_000).toISOString();
    const before = await slotsOf(provider.id, client.access, `from=${from}&to=${to}&duration_minutes=60`);
    expect(before.slots).toHaveLength(17);
    const booked = await book(api, client, { friend_id: provider.id, type: 'video', scheduled_at: start, duration_minutes: 60 });
    expect(booked.status).toBe(201);
    const after = await slotsOf(provider.id, client.access, `from=${from}&to=${to}&duration_minutes=60`);
    const starts = after.slots.map((s) => Date.parse(s.starts_at) - Date.parse(start));
    // A slot must end 30 minutes before the session starts, and start 30 minutes after it ends.
    expect(Math.max(...starts.filter((s) => s < 0))).toBe(-90 * 60_000);
    expect(Math.min(...starts.filter((s) => s >= 0))).toBe(90 * 60_000);
    // The session's own slot is gone; cancelling it gives the time back.
    await api.delete(`/api/v1/sessions/${booked.body.data.id}`, { token: client.access });
    expect((await slotsOf(provider.id, client.access, `from=${from}&to=${to}&duration_minutes=60`)).slots).toHaveLength(17);
  });
});
