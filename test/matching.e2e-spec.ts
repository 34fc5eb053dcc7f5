import { Role } from 'src/common/access/permissions';
import { MatchScoringService, RECOMPUTE_DEBOUNCE_MS } from 'src/modules/matching/match-scoring.service';
import type { Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { verifiedProvider } from './support/chat';
import { bookableProvider, uniqueTag } from './support/providers';
import { collect, connectSocket, nextEvent } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';
import { waitFor } from './support/wait';

const MISSING = '00000000-0000-4000-8000-000000000000';
/** A rescore waits out the debounce window, then the queue picks the job up. */
const RESCORE_WAIT_MS = RECOMPUTE_DEBOUNCE_MS * 2 + 5_000;

describe('matching: matches, scores, suggestions, recompute', () => {
  let api: TestApp;
  let admin: TestUser;
  let manager: TestUser;
  let db: DataSource;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApp();
    admin = await createUserWithRole(api, Role.Admin);
    manager = await createUserWithRole(api, Role.Manager);
    db = api.resolve(DataSource);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api?.close();
  });

  const socketOf = async (user: TestUser): Promise<Socket> => {
    const socket = await connectSocket(api.url, user.access);
    sockets.push(socket);
    return socket;
  };

  const setPersonality = async (user: TestUser, personality: Record<string, unknown>): Promise<void> => {
    const res = await api.patch('/api/v1/users/me', { personality_data: personality }, { token: user.access });
    if (res.status !== 200) throw new Error(`personality failed: ${res.status} ${res.text}`);
  };

  const setPreferences = async (user: TestUser, preferences: Record<string, unknown>): Promise<void> => {
    const res = await api.put('/api/v1/matches/preferences', preferences, { token: user.access });
    if (res.status !== 200) throw new Error(`preferences failed: ${res.status} ${res.text}`);
  };

  /** A verified friend (or therapist) with a profile and, optionally, personality data. */
  const provider = async (profile: Record<string, unknown>, personality?: Record<string, unknown>, role: Role.Friend | Role.Therapist = Role.Friend): Promise<TestUser> => {
    const user = await bookableProvider(api, admin, { role, profile });
    if (personality) await setPersonality(user, personality);
    return user;
  };

  const createMatch = async (client: TestUser, friend: TestUser): Promise<any> => {
    const res = await api.post('/api/v1/matches', { client_id: client.id, friend_id: friend.id }, { token: manager.access });
    if (res.status !== 201) throw new Error(`match failed: ${res.status} ${res.text}`);
    return res.body.data;
  };

  const scored = (matchId: string, viewer: TestUser): Promise<any> =>
    waitFor(async () => {
      const res = await api.get(`/api/v1/matches/${matchId}`, { token: viewer.access });
      return res.body.data?.compatibility_score !== null ? res.body.data : null;
    }, `match ${matchId} scored`);

  const matchRows = async (userId: string): Promise<number> =>
    (await db.query('SELECT count(*)::int AS n FROM matches WHERE client_id = $1 OR provider_id = $1', [userId]))[0].n;

  it('a created match gets its score and reasons from the worker, and both sides receive the push and a notification', async () => {
    const client = await registerUser(api, { first_name: 'Vera', last_name: 'Client', personality_data: { interests: ['music', 'hiking', 'chess'], communication_style: 'friendly' } });
    await setPreferences(client, { languages: ['ru'], topics: ['anxiety', 'sleep'], session_types: ['video'] });
    const friend = await provider(
      { languages: ['ru', 'en'], specialties: ['anxiety', 'sleep'], session_types: ['text', 'video'] },
      { interests: ['Music', 'hiking', 'chess', 'yoga'], communication_style: 'Friendly' },
    );
    const [clientSocket, friendSocket] = await Promise.all([socketOf(client), socketOf(friend)]);
    const pushes = [clientSocket, friendSocket].map((s) => nextEvent(s, 'match_updated', (p) => p.change === 'scored', 10_000));

    const match = await createMatch(client, friend);
    expect(match).toMatchObject({
      compatibility_score: null,
      reasons: [],
      status: 'pending',
      friend: { id: friend.id, role: 'friend' },
      client: { id: client.id, name: 'Vera Client', role: 'client' },
      created_by: manager.id,
      scored_at: null,
    });

    const reasons = [
      'shares 3 interests: music, hiking, chess',
      'same communication style: friendly',
      'speaks your language: Russian',
      'specialises in: anxiety, sleep',
      'offers video sessions',
    ];
    for (const push of await Promise.all(pushes)) {
      expect(push.match).toMatchObject({ id: match.id, compatibility_score: 100, reasons, status: 'pending' });
    }
    const stored = await api.get(`/api/v1/matches/${match.id}`, { token: client.access });
    expect(stored.body.data).toMatchObject({ compatibility_score: 100, reasons });
    expect(stored.body.data.scored_at).not.toBeNull();

    for (const user of [client, friend]) {
      const notes = await api.get('/api/v1/notifications', { token: user.access });
      const note = notes.body.data.filter((n: { related_id: string }) => n.related_id === match.id);
      expect(note).toHaveLength(1);
      expect(note[0]).toMatchObject({ title: 'New match', message: 'A new match is ready: compatibility 100 of 100.' });
    }
  });

  it('the client accepts or declines; the provider cannot answer (403), a stranger gets 404, an answered match is final', async () => {
    const client = await registerUser(api);
    const stranger = await registerUser(api);
    const first = await provider({ languages: ['en'] }, undefined, Role.Therapist);
    const second = await provider({ languages: ['de'] });
    const firstSocket = await socketOf(first);

    const aliased = await api.post('/api/v1/matches', { client_id: client.id, provider_id: first.id }, { token: manager.access });
    expect(aliased.status).toBe(201);
    const match = aliased.body.data;
    expect(match.friend).toMatchObject({ id: first.id, role: 'therapist' });

    const byProvider = await api.post(`/api/v1/matches/${match.id}/accept`, undefined, { token: first.access });
    expect([byProvider.status, byProvider.body.code]).toEqual([403, 'MATCHING.CLIENT_ONLY']);
    const byStaff = await api.post(`/api/v1/matches/${match.id}/decline`, undefined, { token: manager.access });
    expect([byStaff.status, byStaff.body.code]).toEqual([403, 'MATCHING.CLIENT_ONLY']);
    for (const action of ['accept', 'decline']) {
      const byStranger = await api.post(`/api/v1/matches/${match.id}/${action}`, undefined, { token: stranger.access });
      expect([byStranger.status, byStranger.body.code]).toEqual([404, 'MATCHING.NOT_FOUND']);
      const missing = await api.post(`/api/v1/matches/${MISSING}/${action}`, undefined, { token: client.access });
      expect([missing.status, missing.body.code]).toEqual([404, 'MATCHING.NOT_FOUND']);
    }

    const pushed = nextEvent(firstSocket, 'match_updated', (p) => p.change === 'accepted');
    const accepted = await api.post(`/api/v1/matches/${match.id}/accept`, undefined, { token: client.access });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data).toMatchObject({ id: match.id, status: 'accepted' });
    expect((await pushed).match).toMatchObject({ id: match.id, status: 'accepted' });
    const again = await api.post(`/api/v1/matches/${match.id}/decline`, undefined, { token: client.access });
    expect([again.status, again.body.code]).toEqual([409, 'MATCHING.NOT_PENDING']);
    const note = (await api.get('/api/v1/notifications', { token: first.access })).body.data.find(
      (n: { related_id: string; title: string }) => n.related_id === match.id && n.title === 'Match accepted',
    );
    expect(note).toBeDefined();

    const other = await createMatch(client, second);
    const declined = await api.post(`/api/v1/matches/${other.id}/decline`, undefined, { token: client.access });
    expect(declined.body.data).toMatchObject({ id: other.id, status: 'declined' });
    // A declined match is closed: staff may match the pair again; an accepted one is still open.
    expect((await api.post('/api/v1/matches', { client_id: client.id, friend_id: second.id }, { token: manager.access })).status).toBe(201);
    const duplicate = await api.post('/api/v1/matches', { client_id: client.id, friend_id: first.id }, { token: manager.access });
    expect([duplicate.status, duplicate.body.code]).toEqual([409, 'MATCHING.ALREADY_MATCHED']);
  });

  it('lists filter by status and compatibility_score_min; each side sees only their own matches, staff see all', async () => {
    const client = await registerUser(api);
    await setPreferences(client, { languages: ['fr'] });
    const speaksFrench = await provider({ languages: ['fr'] });
    const noFrench = await provider({ languages: ['it'] });
    const stranger = await registerUser(api);
    const high = await createMatch(client, speaksFrench);
    const low = await createMatch(client, noFrench);
    expect((await scored(high.id, client)).compatibility_score).toBe(25);
    expect((await scored(low.id, client)).compatibility_score).toBe(0);
    await api.post(`/api/v1/matches/${low.id}/accept`, undefined, { token: client.access });

    const ids = async (user: TestUser, query = ''): Promise<string[]> => {
      const res = await api.get(`/api/v1/matches${query}`, { token: user.access });
      expect(res.status).toBe(200);
      return res.body.data.map((m: { id: string }) => m.id);
    };
    expect(await ids(client, '?ordering=-compatibility_score')).toEqual([high.id, low.id]);
    expect(await ids(client, '?status=accepted')).toEqual([low.id]);
    expect(await ids(client, '?status=pending')).toEqual([high.id]);
    expect(await ids(client, '?compatibility_score_min=20')).toEqual([high.id]);
    expect(await ids(client, '?compatibility_score_min=0&status=accepted')).toEqual([low.id]);
    expect(await ids(speaksFrench)).toEqual([high.id]);
    expect(await ids(stranger)).toEqual([]);
    const staff = await ids(manager, '?page_size=100&status=accepted');
    expect(staff).toContain(low.id);
    expect(staff).not.toContain(high.id);

    const res = await api.get('/api/v1/matches', { token: client.access });
    expect(res.body.data[0].friend).toMatchObject({ id: expect.any(String), name: expect.any(String) });

    for (const [query, field] of [
      ['?status=open', 'status'],
      ['?compatibility_score_min=101', 'compatibility_score_min'],
      ['?compatibility_score_min=-1', 'compatibility_score_min'],
      ['?compatibility_score_min=high', 'compatibility_score_min'],
      ['?ordering=score', 'ordering'],
    ]) {
      const bad = await api.get(`/api/v1/matches${query}`, { token: client.access });
      expect([query, bad.status, Object.keys(bad.body.errors ?? {})]).toEqual([query, 400, [field]]);
    }
  });

  it('suggestions rank listed providers accepting new clients by score, with reasons', async () => {
    const tag = uniqueTag();
    const [a, b, c] = [`${tag}-a`, `${tag}-b`, `${tag}-c`];
    const client = await registerUser(api, { personality_data: { interests: [a, b, c] } });
    await setPreferences(client, { languages: ['uk'], topics: [tag], session_types: ['voice'] });
    const best = await provider({ languages: ['uk'], specialties: [tag] }, { interests: [a, b, c] });
    const middle = await provider({ languages: ['uk'], specialties: [tag] });
    const weak = await provider({ languages: ['pl'], specialties: [tag] });
    const closed = await provider({ languages: ['uk'], specialties: [tag], accepting_new_clients: false }, { interests: [a, b, c] });
    const unverified = await registerUser(api, { role: Role.Friend });

    const res = await api.get('/api/v1/matches/suggestions?limit=50', { token: client.access });
    expect(res.status).toBe(200);
    const ranked: string[] = res.body.data.map((s: { friend: { id: string } }) => s.friend.id);
    const position = (user: TestUser): number => ranked.indexOf(user.id);
    expect(position(best)).toBe(0);
    expect(position(middle)).toBeGreaterThan(position(best));
    expect(position(weak)).toBeGreaterThan(position(middle));
    expect(ranked).not.toContain(closed.id);
    expect(ranked).not.toContain(unverified.id);
    expect(res.body.data[0]).toMatchObject({
      compatibility_score: 30 + 25 + 10,
      reasons: [`shares 3 interests: ${a}, ${b}, ${c}`, 'speaks your language: Ukrainian', `specialises in: ${tag}`],
      friend: { id: best.id, languages: ['uk'], specialties: [tag], accepting_new_clients: true },
    });
    expect(res.body.data[position(middle)]).toMatchObject({ compatibility_score: 35 });
    expect(res.body.data[position(weak)]).toMatchObject({ compatibility_score: 10, reasons: [`specialises in: ${tag}`] });

    const limited = await api.get('/api/v1/matches/suggestions?limit=1', { token: client.access });
    expect(limited.body.data.map((s: { friend: { id: string } }) => s.friend.id)).toEqual([best.id]);
    const forClient = await api.get(`/api/v1/matches/suggestions?limit=1&client_id=${client.id}`, { token: manager.access });
    expect(forClient.body.data[0].friend.id).toBe(best.id);
    const notStaff = await api.get(`/api/v1/matches/suggestions?client_id=${client.id}`, { token: middle.access });
    expect([notStaff.status, notStaff.body.code]).toEqual([403, 'COMMON.FORBIDDEN']);
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=51', 'limit'],
      ['?client_id=nope', 'client_id'],
    ]) {
      const bad = await api.get(`/api/v1/matches/suggestions${query}`, { token: client.access });
      expect([query, bad.status, Object.keys(bad.body.errors ?? {})]).toEqual([query, 400, [field]]);
    }
    const staffBad = await api.get(`/api/v1/matches/suggestions?client_id=${best.id}`, { token: manager.access });
    expect([staffBad.status, Object.keys(staffBad.body.errors ?? {})]).toEqual([400, ['client_id']]);
  });

  it(
    'recomputes a match after a personality or preferences change (debounced) and pushes it to both sides',
    async () => {
      const client = await registerUser(api);
      const friend = await provider({ languages: ['es'], specialties: ['grief'] }, { interests: ['chess', 'poetry'] });
      const [clientSocket, friendSocket] = await Promise.all([socketOf(client), socketOf(friend)]);
      const match = await createMatch(client, friend);
      expect((await scored(match.id, client)).compatibility_score).toBe(0);

      const rescored = (score: number): Array<Promise<any>> =>
        [clientSocket, friendSocket].map((s) =>
          nextEvent(s, 'match_updated', (p) => p.change === 'rescored' && p.match.id === match.id && p.match.compatibility_score === score, RESCORE_WAIT_MS),
        );
      const seen = collect(clientSocket, 'match_updated');
      const afterInterests = rescored(20);
      // Two changes early in one debounce window are computed once, from the later one.
      await waitFor(async () => Date.now() % RECOMPUTE_DEBOUNCE_MS < RECOMPUTE_DEBOUNCE_MS / 4, 'the start of a debounce window', RECOMPUTE_DEBOUNCE_MS * 2);
      await setPersonality(client, { interests: ['poetry'] });
      await setPersonality(client, { interests: ['poetry', 'Chess'] });
      for (const push of await Promise.all(afterInterests)) expect(push.match.reasons).toEqual(['shares 2 interests: poetry, chess']);
      expect(seen.filter((p) => p.change === 'rescored').map((p) => p.match.compatibility_score)).toEqual([20]);

      const afterPreferences = rescored(20 + 25 + 10);
      await setPreferences(client, { languages: ['es'], topics: ['grief'] });
      for (const push of await Promise.all(afterPreferences)) {
        expect(push.match.reasons).toEqual(['shares 2 interests: poetry, chess', 'speaks your language: Spanish', 'specialises in: grief']);
      }
      const stored = await api.get(`/api/v1/matches/${match.id}`, { token: friend.access });
      expect(stored.body.data.compatibility_score).toBe(55);
      // Only the first score notifies; rescoring pushes the socket event alone.
      const notes = (await api.get('/api/v1/notifications', { token: client.access })).body.data.filter((n: { related_id: string }) => n.related_id === match.id);
      expect(notes).toHaveLength(1);
    },
    RESCORE_WAIT_MS * 3,
  );

  it('bad input is a 400 naming the field and writes nothing', async () => {
    const client = await registerUser(api);
    const friend = await verifiedProvider(api, admin, Role.Friend);
    const unverified = await registerUser(api, { role: Role.Therapist });
    const otherClient = await registerUser(api);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ friend_id: friend.id }, 'client_id'],
      [{ client_id: 'nope', friend_id: friend.id }, 'client_id'],
      [{ client_id: client.id }, 'friend_id'],
      [{ client_id: client.id, friend_id: friend.id, provider_id: friend.id }, 'friend_id'],
      [{ client_id: client.id, friend_id: unverified.id }, 'friend_id'],
      [{ client_id: client.id, friend_id: otherClient.id }, 'friend_id'],
      [{ client_id: client.id, friend_id: client.id }, 'friend_id'],
      [{ client_id: friend.id, friend_id: friend.id }, 'friend_id'],
      [{ client_id: unverified.id, friend_id: friend.id }, 'client_id'],
      [{ client_id: MISSING, friend_id: friend.id }, 'client_id'],
      [{ client_id: client.id, friend_id: friend.id, compatibility_score: 99 }, 'compatibility_score'],
      [{ client_id: client.id, friend_id: friend.id, status: 'accepted' }, 'status'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post('/api/v1/matches', body, { token: manager.access });
      expect([body, res.status, Object.keys(res.body.errors ?? {})]).toEqual([body, 400, [field]]);
    }
    expect(await matchRows(client.id)).toBe(0);
    expect(await matchRows(friend.id)).toBe(0);

    const preferenceCases: Array<[Record<string, unknown>, string]> = [
      [{ languages: ['english'] }, 'languages'],
      [{ languages: ['en', 'en'] }, 'languages'],
      [{ languages: null }, 'languages'],
      [{ topics: Array.from({ length: 11 }, (_, i) => `topic ${i}`) }, 'topics'],
      [{ topics: ['x'] }, 'topics'],
      [{ topics: ['<b>bold</b>'] }, 'topics'],
      [{ session_types: ['chat'] }, 'session_types'],
      [{ session_types: 'video' }, 'session_types'],
      [{ budget: 10 }, 'budget'],
    ];
    for (const [body, field] of preferenceCases) {
      const res = await api.put('/api/v1/matches/preferences', body, { token: client.access });
      expect([body, res.status, Object.keys(res.body.errors ?? {})]).toEqual([body, 400, [field]]);
    }
    const unchanged = await api.get('/api/v1/matches/preferences', { token: client.access });
    expect(unchanged.body.data).toEqual({ languages: [], topics: [], session_types: [], updated_at: null });

    const saved = await api.put('/api/v1/matches/preferences', { languages: ['de', 'en'], topics: [' Anxiety '], session_types: ['video', 'text'] }, { token: client.access });
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({ languages: ['de', 'en'], topics: ['anxiety'], session_types: ['video', 'text'] });
    const replaced = await api.put('/api/v1/matches/preferences', { topics: ['sleep'] }, { token: client.access });
    expect(replaced.body.data).toMatchObject({ languages: [], topics: ['sleep'], session_types: [] });
  });

  it('only staff create and remove matches; other people’s matches are 404; removing pushes to both sides', async () => {
    const client = await registerUser(api);
    const stranger = await registerUser(api);
    const friend = await provider({ languages: ['en'] });
    const otherFriend = await provider({ languages: ['en'] });

    const byClient = await api.post('/api/v1/matches', { client_id: client.id, friend_id: friend.id }, { token: client.access });
    expect(byClient.status).toBe(403);
    const byProvider = await api.post('/api/v1/matches', { client_id: client.id, friend_id: friend.id }, { token: friend.access });
    expect(byProvider.status).toBe(403);
    expect(await matchRows(client.id)).toBe(0);

    const match = await createMatch(client, friend);
    const byAdmin = await api.post('/api/v1/matches', { client_id: client.id, friend_id: otherFriend.id }, { token: admin.access });
    expect(byAdmin.status).toBe(201);
    const duplicate = await api.post('/api/v1/matches', { client_id: client.id, provider_id: friend.id }, { token: admin.access });
    expect([duplicate.status, duplicate.body.code]).toEqual([409, 'MATCHING.ALREADY_MATCHED']);

    for (const user of [client, friend, manager, admin]) expect((await api.get(`/api/v1/matches/${match.id}`, { token: user.access })).status).toBe(200);
    for (const user of [stranger, otherFriend]) {
      const res = await api.get(`/api/v1/matches/${match.id}`, { token: user.access });
      expect([res.status, res.body.code]).toEqual([404, 'MATCHING.NOT_FOUND']);
    }
    const missing = await api.get(`/api/v1/matches/${MISSING}`, { token: manager.access });
    expect([missing.status, missing.body.code]).toEqual([404, 'MATCHING.NOT_FOUND']);
    const badId = await api.get('/api/v1/matches/not-a-uuid', { token: client.access });
    expect([badId.status, Object.keys(badId.body.errors ?? {})]).toEqual([400, ['id']]);

    for (const user of [client, friend]) expect((await api.delete(`/api/v1/matches/${match.id}`, { token: user.access })).status).toBe(403);
    const missingDelete = await api.delete(`/api/v1/matches/${MISSING}`, { token: manager.access });
    expect([missingDelete.status, missingDelete.body.code]).toEqual([404, 'MATCHING.NOT_FOUND']);

    const [clientSocket, friendSocket] = await Promise.all([socketOf(client), socketOf(friend)]);
    const pushes = [clientSocket, friendSocket].map((s) => nextEvent(s, 'match_updated', (p) => p.change === 'removed' && p.match.id === match.id));
    const removed = await api.delete(`/api/v1/matches/${match.id}`, { token: manager.access });
    expect([removed.status, removed.body.data]).toEqual([200, null]);
    await Promise.all(pushes);
    const gone = await api.get(`/api/v1/matches/${match.id}`, { token: client.access });
    expect([gone.status, gone.body.code]).toEqual([404, 'MATCHING.NOT_FOUND']);
    // The pair may be matched again once the match is gone.
    expect((await api.post('/api/v1/matches', { client_id: client.id, friend_id: friend.id }, { token: manager.access })).status).toBe(201);
  });

  it('a match whose score job was lost is queued again by the sweep', async () => {
    const client = await registerUser(api, { personality_data: { interests: ['knitting'] } });
    const friend = await provider({ languages: ['en'] }, { interests: ['knitting'] });
    // As if the process died between the insert's commit and the enqueue.
    const [{ id }] = await db.query(
      `INSERT INTO matches (client_id, provider_id, created_by_id, created_at) VALUES ($1, $2, $3, now() - interval '5 minutes') RETURNING id`,
      [client.id, friend.id, manager.id],
    );
    await api.resolve(MatchScoringService).requeueUnscored();
    expect(await scored(id, client)).toMatchObject({ compatibility_score: 10, reasons: ['shares 1 interest: knitting'] });
  });

  it('a provider without a profile can be matched: the score uses their personality data only', async () => {
    const client = await registerUser(api, { personality_data: { interests: ['running'] } });
    await setPreferences(client, { languages: ['en'] });
    const friend = await verifiedProvider(api, admin, Role.Friend);
    await setPersonality(friend, { interests: ['running', 'cooking'] });
    const match = await createMatch(client, friend);
    expect(await scored(match.id, friend)).toMatchObject({ compatibility_score: 10, reasons: ['shares 1 interest: running'] });
  });
});
