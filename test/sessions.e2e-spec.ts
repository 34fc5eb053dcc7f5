import { Role } from 'src/common/access/permissions';
import { DataSource } from 'typeorm';
import type { Socket } from 'socket.io-client';
import { openChat, verifiedProvider } from './support/chat';
import { book, bookableProvider, hoursFromNow, putProfile, putRules } from './support/providers';
import { connectSocket, nextEvent } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('sessions: booking, changes, lists, oversight', () => {
  let api: TestApp;
  let admin: TestUser;
  let db: DataSource;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApp();
    admin = await createUserWithRole(api, Role.Admin);
    db = api.resolve(DataSource);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api?.close();
  });

  const sessionCount = async (userId: string): Promise<number> =>
    (await db.query('SELECT count(*)::int AS n FROM care_sessions WHERE client_id = $1 OR provider_id = $1', [userId]))[0].n;

  /** A client, a bookable therapist (text 30.00 and video 49.99 EUR, always available) and a stranger. */
  const cast = async () => ({
    client: await registerUser(api, { first_name: 'Cleo', last_name: 'Client' }),
    provider: await bookableProvider(api, admin),
    stranger: await registerUser(api),
  });

  it('books a video session: price from the profile, the direct chat opened, the join link only for the two', async () => {
    const { client, provider, stranger } = await cast();
    const providerSocket = await connectSocket(api.url, provider.access);
    sockets.push(providerSocket);
    const pushed = nextEvent(providerSocket, 'session_updated');
    const scheduled = hoursFromNow(30);
    const res = await book(api, client, { friend_id: provider.id, type: 'video', scheduled_at: scheduled, duration_minutes: 50, notes: 'panic at night', title: 'First talk' });
    expect(res.status).toBe(201);
    const session = res.body.data;
    expect(session).toMatchObject({
      type: 'video',
      status: 'upcoming',
      scheduled_at: scheduled,
      scheduled_date: scheduled,
      ends_at: new Date(Date.parse(scheduled) + 50 * 60_000).toISOString(),
      duration_minutes: 50,
      price: '49.99',
      currency: 'EUR',
      title: 'First talk',
      notes: 'panic at night',
      description: null,
      late_cancellation: false,
      friend: { id: provider.id, role: 'therapist' },
      client: { id: client.id, name: 'Cleo Client', role: 'client' },
    });
    expect(session.join_url).toMatch(new RegExp(`^${api.config.sessions.meetingBaseUrl}/haven-[0-9a-f]{32}$`));
    expect(await pushed).toEqual({ session_id: session.id, status: 'upcoming', change: 'booked', scheduled_at: scheduled, duration_minutes: 50 });

    // The chat is the pair's one direct chat, and booking again reuses it.
    expect(session.chat_id).toBe(await openChat(api, client, provider));
    const second = await book(api, client, { friend_id: provider.id, type: 'text', scheduled_at: hoursFromNow(60), duration_minutes: 30 });
    expect(second.body.data).toMatchObject({ chat_id: session.chat_id, price: '30.00', join_url: null });

    const [stored] = await db.query('SELECT notes_encrypted, price_minor FROM care_sessions WHERE id = $1', [session.id]);
    expect(stored.notes_encrypted).toMatch(/^enc1\./);
    expect(stored.price_minor).toBe(4999);

    const asProvider = await api.get(`/api/v1/sessions/${session.id}`, { token: provider.access });
    expect(asProvider.body.data).toMatchObject({ join_url: session.join_url, notes: 'panic at night' });
    const asStaff = await api.get(`/api/v1/sessions/${session.id}`, { token: admin.access });
    expect(asStaff.body.data).toMatchObject({ id: session.id, join_url: null, notes: null, title: 'First talk' });
    const asStranger = await api.get(`/api/v1/sessions/${session.id}`, { token: stranger.access });
    expect([asStranger.status, asStranger.body.code]).toEqual([404, 'SESSIONS.NOT_FOUND']);

    const notifications = await api.get('/api/v1/notifications', { token: provider.access });
    const note = notifications.body.data.find((n: { related_id: string }) => n.related_id === session.id);
    expect(note).toMatchObject({ notification_type: 'session' });
    expect(note.message).not.toContain('panic');
  });

  it('SafeTalk aliases: counselor_id, scheduled_date, title and description', async () => {
    const { client, provider } = await cast();
    const scheduled = hoursFromNow(40);
    const res = await book(api, client, { counselor_id: provider.id, type: 'text', scheduled_date: scheduled, duration_minutes: 45, title: 'Check-in', description: 'work stress' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ scheduled_date: scheduled, title: 'Check-in', description: 'work stress', friend: { id: provider.id } });
    const viaProviderId = await book(api, client, { provider_id: provider.id, type: 'text', scheduled_at: hoursFromNow(44), duration_minutes: 15 });
    expect(viaProviderId.status).toBe(201);
  });

  it('refuses bad bookings with a clear code, writing nothing', async () => {
    const { client, provider } = await cast();
    const unverified = await registerUser(api, { role: Role.Friend });
    const limited = await bookableProvider(api, admin, { rules: [{ weekday: 1, start_time: '09:00', end_time: '10:00' }] });
    const closed = await bookableProvider(api, admin, { profile: { accepting_new_clients: false } });
    const noProfile = await verifiedProvider(api, admin);
    const at = hoursFromNow(26);
    const base = { friend_id: provider.id, type: 'video', scheduled_at: at, duration_minutes: 60 };
    const outside = new Date(Date.parse(hoursFromNow(24 * 8)));
    // A Tuesday 03:00 UTC: outside Monday 09:00–10:00.
    outside.setUTCDate(outside.getUTCDate() + ((9 - outside.getUTCDay()) % 7));
    outside.setUTCHours(3, 0, 0, 0);
    const cases: Array<[Record<string, unknown>, number, string, string?]> = [
      [{ ...base, friend_id: MISSING }, 404, 'SESSIONS.PROVIDER_NOT_FOUND'],
      [{ ...base, friend_id: unverified.id }, 404, 'SESSIONS.PROVIDER_NOT_FOUND'],
      [{ ...base, friend_id: noProfile.id }, 404, 'SESSIONS.PROVIDER_NOT_FOUND'],
      [{ ...base, friend_id: client.id }, 400, 'COMMON.VALIDATION_FAILED', 'friend_id'],
      [{ ...base, type: 'voice' }, 400, 'SESSIONS.TYPE_NOT_OFFERED'],
      [{ ...base, friend_id: limited.id, scheduled_at: outside.toISOString() }, 400, 'SESSIONS.OUTSIDE_AVAILABILITY'],
      [{ ...base, scheduled_at: new Date(Date.now() - 3_600_000).toISOString() }, 400, 'SESSIONS.IN_PAST'],
      [{ ...base, friend_id: closed.id }, 409, 'SESSIONS.NOT_ACCEPTING_CLIENTS'],
      [{ ...base, price: '0.01' }, 400, 'COMMON.VALIDATION_FAILED', 'price'],
      [{ ...base, status: 'completed' }, 400, 'COMMON.VALIDATION_FAILED', 'status'],
      [{ ...base, provider_id: provider.id }, 400, 'COMMON.VALIDATION_FAILED', 'friend_id'],
      [{ ...base, friend_id: undefined }, 400, 'COMMON.VALIDATION_FAILED', 'friend_id'],
      [{ ...base, scheduled_date: at }, 400, 'COMMON.VALIDATION_FAILED', 'scheduled_at'],
      [{ ...base, duration_minutes: 10 }, 400, 'COMMON.VALIDATION_FAILED', 'duration_minutes'],
      [{ ...base, duration_minutes: 241 }, 400, 'COMMON.VALIDATION_FAILED', 'duration_minutes'],
      [{ ...base, type: 'phone' }, 400, 'COMMON.VALIDATION_FAILED', 'type'],
      [{ ...base, scheduled_at: 'tomorrow' }, 400, 'COMMON.VALIDATION_FAILED', 'scheduled_at'],
      [{ ...base, friend_id: provider.id.toUpperCase().replace(/-/g, '') }, 400, 'COMMON.VALIDATION_FAILED', 'friend_id'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await book(api, client, body);
      expect([JSON.stringify(body), res.status, res.body.code]).toEqual([JSON.stringify(body), status, code]);
      if (field) expect(Object.keys(res.body.errors)).toEqual([field]);
    }
    expect(await sessionCount(client.id)).toBe(0);

    // Taken: the provider's slot by another client (also when only the buffer overlaps), the client's time with another provider.
    const other = await registerUser(api);
    expect((await book(api, other, base)).status).toBe(201);
    const taken = await book(api, client, { ...base, scheduled_at: new Date(Date.parse(at) + 30 * 60_000).toISOString() });
    expect([taken.status, taken.body.code]).toEqual([409, 'SESSIONS.SLOT_TAKEN']);
    const second = await bookableProvider(api, admin);
    expect((await book(api, client, { ...base, friend_id: second.id })).status).toBe(201);
    const overlap = await book(api, client, { ...base, scheduled_at: new Date(Date.parse(at) + 45 * 60_000).toISOString() });
    expect([overlap.status, overlap.body.code]).toEqual([409, 'SESSIONS.CLIENT_OVERLAP']);
    expect(await sessionCount(client.id)).toBe(1);
    // Back to back is fine (no buffer): the range is half-open.
    expect((await book(api, client, { ...base, scheduled_at: new Date(Date.parse(at) + 60 * 60_000).toISOString() })).status).toBe(201);

    // A provider not taking new clients still takes their existing ones.
    await putProfile(api, closed, { accepting_new_clients: true });
    expect((await book(api, client, { ...base, friend_id: closed.id, scheduled_at: hoursFromNow(100) })).status).toBe(201);
    await putProfile(api, closed, { accepting_new_clients: false });
    expect((await book(api, client, { ...base, friend_id: closed.id, scheduled_at: hoursFromNow(110) })).status).toBe(201);
  });

  it('the buffer keeps the provider’s next booking away, not the client’s', async () => {
    const client = await registerUser(api);
    const other = await registerUser(api);
    const provider = await bookableProvider(api, admin, { profile: { buffer_minutes: 15 } });
    const at = hoursFromNow(30);
    expect((await book(api, client, { friend_id: provider.id, type: 'text', scheduled_at: at, duration_minutes: 60 })).status).toBe(201);
    const tooSoon = await book(api, other, { friend_id: provider.id, type: 'text', scheduled_at: new Date(Date.parse(at) + 60 * 60_000).toISOString(), duration_minutes: 30 });
    expect(tooSoon.body.code).toBe('SESSIONS.SLOT_TAKEN');
    const tooClose = await book(api, other, { friend_id: provider.id, type: 'text', scheduled_at: new Date(Date.parse(at) - 30 * 60_000).toISOString(), duration_minutes: 30 });
    expect(tooClose.body.code).toBe('SESSIONS.SLOT_TAKEN');
    expect((await book(api, other, { friend_id: provider.id, type: 'text', scheduled_at: new Date(Date.parse(at) + 75 * 60_000).toISOString(), duration_minutes: 30 })).status).toBe(201);
  });

  it('another user’s session is 404 on every route, exactly like a missing one', async () => {
    const { client, provider, stranger } = await cast();
    const otherProvider = await bookableProvider(api, admin);
    const id = (await book(api, client, { friend_id: provider.id, type: 'text', scheduled_at: hoursFromNow(30), duration_minutes: 30 })).body.data.id;
    for (const user of [stranger, otherProvider]) {
      for (const target of [id, MISSING]) {
        const answers = [
          await api.get(`/api/v1/sessions/${target}`, { token: user.access }),
          await api.patch(`/api/v1/sessions/${target}`, { duration_minutes: 45 }, { token: user.access }),
          await api.delete(`/api/v1/sessions/${target}`, { token: user.access }),
          await api.post(`/api/v1/sessions/${target}/complete`, undefined, { token: user.access }),
          await api.post(`/api/v1/sessions/${target}/no-show`, undefined, { token: user.access }),
        ];
        expect(answers.map((r) => [r.status, r.body.code])).toEqual(Array(5).fill([404, 'SESSIONS.NOT_FOUND']));
      }
    }
    // Staff oversee but do not close sessions: completing is the provider's.
    const staffComplete = await api.post(`/api/v1/sessions/${id}/complete`, undefined, { token: admin.access });
    expect(staffComplete.body.code).toBe('SESSIONS.NOT_FOUND');
    const [row] = await db.query('SELECT status, duration_minutes FROM care_sessions WHERE id = $1', [id]);
    expect(row).toEqual({ status: 'upcoming', duration_minutes: 30 });
  });

  it('reschedule by either side under the booking rules', async () => {
    const { client, provider } = await cast();
    const other = await registerUser(api);
    const providerSocket = await connectSocket(api.url, provider.access);
    sockets.push(providerSocket);
    const id = (await book(api, client, { friend_id: provider.id, type: 'video', scheduled_at: hoursFromNow(30), duration_minutes: 60 })).body.data.id;
    const otherAt = hoursFromNow(50);
    expect((await book(api, other, { friend_id: provider.id, type: 'video', scheduled_at: otherAt, duration_minutes: 60 })).status).toBe(201);

    const pushed = nextEvent(providerSocket, 'session_updated', (e) => e.session_id === id);
    const moved = await api.patch(`/api/v1/sessions/${id}`, { scheduled_at: hoursFromNow(34), duration_minutes: 90 }, { token: client.access });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ scheduled_at: hoursFromNow(34), duration_minutes: 90, status: 'upcoming' });
    expect(await pushed).toMatchObject({ change: 'rescheduled', scheduled_at: hoursFromNow(34) });
    const byProvider = await api.patch(`/api/v1/sessions/${id}`, { scheduled_date: hoursFromNow(36) }, { token: provider.access });
    expect(byProvider.body.data).toMatchObject({ scheduled_at: hoursFromNow(36), duration_minutes: 90 });

    const taken = await api.patch(`/api/v1/sessions/${id}`, { scheduled_at: otherAt }, { token: client.access });
    expect(taken.body.code).toBe('SESSIONS.SLOT_TAKEN');
    const past = await api.patch(`/api/v1/sessions/${id}`, { scheduled_at: new Date(Date.now() - 60_000).toISOString() }, { token: client.access });
    expect(past.body.code).toBe('SESSIONS.IN_PAST');
    const empty = await api.patch(`/api/v1/sessions/${id}`, {}, { token: client.access });
    expect(Object.keys(empty.body.errors)).toEqual(['scheduled_at']);
    const priced = await api.patch(`/api/v1/sessions/${id}`, { price: '1.00' }, { token: client.access });
    expect(Object.keys(priced.body.errors)).toEqual(['price']);
    await putRules(api, provider, [{ weekday: 1, start_time: '00:00', end_time: '00:15' }]);
    const outside = await api.patch(`/api/v1/sessions/${id}`, { duration_minutes: 120 }, { token: client.access });
    expect(outside.body.code).toBe('SESSIONS.OUTSIDE_AVAILABILITY');
    expect((await api.get(`/api/v1/sessions/${id}`, { token: client.access })).body.data).toMatchObject({ scheduled_at: hoursFromNow(36), duration_minutes: 90 });
  });

  it('cancel: either side or staff, with a reason; late inside the notice window; then final', async () => {
    const { client, provider } = await cast();
    const early = (await book(api, client, { friend_id: provider.id, type: 'text', scheduled_at: hoursFromNow(48), duration_minutes: 30 })).body.data.id;
    const late = (await book(api, client, { friend_id: provider.id, type: 'text', scheduled_at: hoursFromNow(3), duration_minutes: 30 })).body.data.id;
    const byStaff = (await book(api, client, { friend_id: provider.id, type: 'text', scheduled_at: hoursFromNow(60), duration_minutes: 30 })).body.data.id;

    const cancelled = await api.delete(`/api/v1/sessions/${early}?reason=${encodeURIComponent('feeling better')}`, { token: client.access });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ id: early, status: 'cancelled', late_cancellation: false, cancel_reason: 'feeling better', cancelled_by_id: client.id });
    expect(cancelled.body.data.closed_at).toEqual(expect.any(String));
    const lateOne = await api.delete(`/api/v1/sessions/${late}`, { token: provider.access });
    expect(lateOne.body.data).toMatchObject({ status: 'cancelled', late_cancellation: true, cancel_reason: null, cancelled_by_id: provider.id });
    const staff = await api.delete(`/api/v1/sessions/${byStaff}?reason=duplicate`, { token: admin.access });
    expect(staff.body.data).toMatchObject({ status: 'cancelled', cancelled_by_id: admin.id, cancel_reason: null });
    expect((await api.get(`/api/v1/sessions/${byStaff}`, { token: client.access })).body.data.cancel_reason).toBe('duplicate');

    const again = await api.delete(`/api/v1/sessions/${early}`, { token: client.access });
    expect([again.status, again.body.code]).toEqual([409, 'SESSIONS.NOT_UPCOMING']);
    expect((await api.patch(`/api/v1/sessions/${early}`, { duration_minutes: 45 }, { token: client.access })).body.code).toBe('SESSIONS.NOT_UPCOMING');
    const tooLong = await api.delete(`/api/v1/sessions/${late}?reason=${'x'.repeat(501)}`, { token: client.access });
    expect(Object.keys(tooLong.body.errors)).toEqual(['reason']);
    // The cancelled time is free again.
    expect((await book(api, client, { friend_id: provider.id, type: 'text', scheduled_at: hoursFromNow(48), duration_minutes: 30 })).status).toBe(201);
  });

  it('complete and no-show: the provider only, after the start', async () => {
    const { client, provider } = await cast();
    const first = (await book(api, client, { friend_id: provider.id, type: 'video', scheduled_at: hoursFromNow(30), duration_minutes: 60 })).body.data.id;
    const second = (await book(api, client, { friend_id: provider.id, type: 'video', scheduled_at: hoursFromNow(40), duration_minutes: 60 })).body.data.id;
    const notYet = await api.post(`/api/v1/sessions/${first}/complete`, undefined, { token: provider.access });
    expect([notYet.status, notYet.body.code]).toEqual([409, 'SESSIONS.NOT_STARTED']);
    const started = async (id: string, minutesAgo: number): Promise<void> => {
      await db.query(
        `UPDATE care_sessions SET starts_at = now() - make_interval(mins => $2), ends_at = now() - make_interval(mins => $2) + interval '60 minutes',
                busy_until = now() - make_interval(mins => $2) + interval '60 minutes' WHERE id = $1`,
        [id, minutesAgo],
      );
    };
    await started(first, 10);
    await started(second, 120);
    const byClient = await api.post(`/api/v1/sessions/${first}/complete`, undefined, { token: client.access });
    expect([byClient.status, byClient.body.code]).toEqual([403, 'SESSIONS.PROVIDER_ONLY']);
    const completed = await api.post(`/api/v1/sessions/${first}/complete`, undefined, { token: provider.access });
    expect(completed.body.data).toMatchObject({ status: 'completed' });
    const noShow = await api.post(`/api/v1/sessions/${second}/no-show`, undefined, { token: provider.access });
    expect(noShow.body.data).toMatchObject({ status: 'no_show' });
    expect((await api.post(`/api/v1/sessions/${first}/no-show`, undefined, { token: provider.access })).body.code).toBe('SESSIONS.NOT_UPCOMING');
    expect((await api.delete(`/api/v1/sessions/${first}`, { token: client.access })).body.code).toBe('SESSIONS.NOT_UPCOMING');
    // SafeTalk's profile counts, for both people: two sessions, one of them completed.
    for (const user of [client, provider]) {
      const stats = await api.get('/api/v1/users/me/stats', { token: user.access });
      expect(stats.body.data).toMatchObject({ total_appointments: 2, completed_appointments: 1 });
    }
  });

  it('lists for both sides with the seeds’ filters and the upcoming/past split; staff see every session', async () => {
    const { client, provider } = await cast();
    const friend = await bookableProvider(api, admin, { role: Role.Friend });
    const a = (await book(api, client, { friend_id: provider.id, type: 'video', scheduled_at: hoursFromNow(30), duration_minutes: 60 })).body.data.id;
    const b = (await book(api, client, { friend_id: friend.id, type: 'text', scheduled_at: hoursFromNow(50), duration_minutes: 60 })).body.data.id;
    const c = (await book(api, client, { friend_id: provider.id, type: 'text', scheduled_at: hoursFromNow(70), duration_minutes: 60 })).body.data.id;
    await api.delete(`/api/v1/sessions/${c}`, { token: client.access });

    const ids = async (user: TestUser, query = ''): Promise<string[]> => {
      const res = await api.get(`/api/v1/sessions?page_size=100${query}`, { token: user.access });
      expect(res.status).toBe(200);
      return res.body.data.map((s: { id: string }) => s.id);
    };
    expect(await ids(client)).toEqual([a, b, c]);
    expect(await ids(client, '&ordering=-scheduled_at')).toEqual([c, b, a]);
    expect(await ids(provider)).toEqual([a, c]);
    expect(await ids(friend)).toEqual([b]);
    expect(await ids(client, '&type=text')).toEqual([b, c]);
    expect(await ids(client, '&status=cancelled')).toEqual([c]);
    expect(await ids(client, '&when=upcoming')).toEqual([a, b]);
    expect(await ids(client, '&when=past')).toEqual([c]);
    expect(await ids(client, `&date_after=${hoursFromNow(40)}&date_before=${hoursFromNow(80)}`)).toEqual([b, c]);
    const listed = await api.get('/api/v1/sessions?type=video', { token: client.access });
    expect(listed.body.data[0]).toMatchObject({ friend: { id: provider.id, role: 'therapist' }, client: { id: client.id }, price: '49.99', currency: 'EUR' });
    expect(listed.body.data[0].join_url).toMatch(/^https?:\/\//);
    expect(listed.body.pagination).toMatchObject({ count: 1 });
    for (const bad of ['type=phone', 'status=done', 'when=later', 'ordering=price']) {
      expect((await api.get(`/api/v1/sessions?${bad}`, { token: client.access })).status).toBe(400);
    }
    const all = await api.get(`/api/v1/sessions?page_size=100&date_after=${hoursFromNow(29)}&date_before=${hoursFromNow(31)}`, { token: admin.access });
    const seen = all.body.data.find((s: { id: string }) => s.id === a);
    expect(seen).toMatchObject({ id: a, join_url: null, notes: null });
    expect((await api.get('/api/v1/sessions', { token: (await registerUser(api)).access })).body.data).toEqual([]);
  });
});
