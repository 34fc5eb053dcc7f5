import { randomUUID } from 'node:crypto';
import { SafetyPlansService } from 'src/modules/safety-plans/safety-plans.service';
import { DataSource } from 'typeorm';
import { grantCare, revokeCare } from './support/care-team';
import { chatCast, ChatCast, openChat, verifiedProvider } from './support/chat';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser, TestUser } from './support/users';

const PLAN = {
  warning_signs: ['Not answering messages for days', 'Skipping meals'],
  internal_coping_strategies: ['Walk around the lake'],
  distraction_people_and_places: ['The climbing gym'],
  people_to_ask_for_help: [{ name: 'Anna (sister)', phone: '+49 151 2345678' }, { name: 'Tom' }],
  professionals_and_agencies: [{ name: 'TelefonSeelsorge', phone: '0800 111 0 111' }],
  making_environment_safe: ['Leave the spare pills with Anna'],
  reasons_for_living: ['My daughter Mia'],
};

describe('crisis resources', () => {
  let api: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
  });
  beforeEach(async () => {
    user = await registerUser(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const resources = (query: string) => api.get(`/api/v1/safety/resources${query}`, { token: user.access });

  it('lists the lines of the asked country, in any case', async () => {
    const res = await resources('?country=DE');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ country: 'DE', emergency_number: '112' });
    expect(res.body.data.helplines).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'TelefonSeelsorge', phone: '0800 111 0 111', hours: '24/7', languages: ['de'] })]),
    );
    expect((await resources('?country=us')).body.data).toMatchObject({ country: 'US', emergency_number: '911' });
  });

  it('falls back to the international list for a country without an entry', async () => {
    const res = await resources('?country=MN');
    expect(res.status).toBe(200);
    expect(res.body.data.country).toBeNull();
    expect(res.body.data.helplines.map((h: { url: string | null }) => h.url)).toContain('https://findahelpline.com');
  });

  it('without `country`, uses the profile’s country, and the international list when the profile has none', async () => {
    expect((await resources('')).body.data.country).toBeNull();
    const patched = await api.patch('/api/v1/users/me', { country: 'JP' }, { token: user.access });
    expect(patched.status).toBe(200);
    const res = await resources('');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ country: 'JP', emergency_number: '119' });
    // The query wins over the profile.
    expect((await resources('?country=BR')).body.data.country).toBe('BR');
  });

  it('refuses a bad country code naming `country`, and callers who are not signed in', async () => {
    for (const bad of ['XX', 'DEU', 'D', '12', '']) {
      const res = await resources(`?country=${bad}`);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['country']);
    }
    const unknownField = await resources('?country=DE&city=Berlin');
    expect(unknownField.status).toBe(400);
    expect(Object.keys(unknownField.body.errors)).toEqual(['city']);
    expect((await api.get('/api/v1/safety/resources?country=DE')).status).toBe(401);
  });
});

describe('safety plans', () => {
  let api: TestApp;
  let db: DataSource;
  let cast: ChatCast;

  beforeAll(async () => {
    api = await startTestApp();
    db = api.resolve(DataSource);
  });
  beforeEach(async () => {
    cast = await chatCast(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const put = (user: TestUser, body: unknown, path = 'me') => api.put(`/api/v1/safety-plans/${path}`, body, { token: user.access });
  const get = (user: TestUser, path = 'me') => api.get(`/api/v1/safety-plans/${path}`, { token: user.access });
  const versionsIn = async (user: TestUser): Promise<number> =>
    (await db.query('SELECT count(*)::int AS n FROM safety_plan_versions WHERE user_id = $1', [user.id]))[0].n;
  const auditActions = async (targetId: string): Promise<Array<{ action: string; actor_id: string | null }>> => {
    const res = await api.get('/api/v1/admin/audit-log?page_size=100', { token: cast.admin.access });
    expect(res.status).toBe(200);
    return (res.body.data as Array<{ action: string; actor_id: string | null; target_id: string | null }>)
      .filter((e) => e.target_id === targetId)
      .map(({ action, actor_id }) => ({ action, actor_id }));
  };
  const notificationsOf = async (user: TestUser): Promise<Array<{ title: string; message: string; related_id: string | null }>> => {
    const res = await api.get('/api/v1/notifications?page_size=100', { token: user.access });
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const withTherapist = async (): Promise<string> => {
    await openChat(api, cast.patient, cast.therapist);
    return grantCare(api, cast.patient, cast.therapist, ['mood']);
  };

  it('starts empty at version 0; each save is the next version, kept in the history', async () => {
    const empty = await get(cast.patient);
    expect(empty.status).toBe(200);
    expect(empty.body.data).toEqual({
      user_id: cast.patient.id,
      version: 0,
      updated_by: null,
      updated_at: null,
      warning_signs: [],
      internal_coping_strategies: [],
      distraction_people_and_places: [],
      people_to_ask_for_help: [],
      professionals_and_agencies: [],
      making_environment_safe: [],
      reasons_for_living: [],
    });

    const first = await put(cast.patient, { base_version: 0, ...PLAN });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ user_id: cast.patient.id, version: 1, updated_by: cast.patient.id, updated_at: expect.any(String) });
    expect(first.body.data.people_to_ask_for_help).toEqual([
      { name: 'Anna (sister)', phone: '+49 151 2345678' },
      { name: 'Tom', phone: null },
    ]);

    const second = await put(cast.patient, { base_version: 1, warning_signs: ['  Skipping meals  '], reasons_for_living: ['My daughter Mia', 'The sea'] });
    expect(second.status).toBe(200);
    expect(second.body.data).toMatchObject({ version: 2, warning_signs: ['Skipping meals'], internal_coping_strategies: [], reasons_for_living: ['My daughter Mia', 'The sea'] });
    expect((await get(cast.patient)).body.data).toEqual(second.body.data);

    const history = await get(cast.patient, 'me/versions');
    expect(history.status).toBe(200);
    expect(history.body.pagination.count).toBe(2);
    expect(history.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(history.body.data[0]).toEqual({ version: 2, updated_by: cast.patient.id, updated_at: expect.any(String) });
    expect((await get(cast.patient, 'me/versions?ordering=version&page_size=1')).body.data.map((v: { version: number }) => v.version)).toEqual([1]);

    const old = await get(cast.patient, 'me/versions/1');
    expect(old.status).toBe(200);
    expect(old.body.data).toEqual(first.body.data);
    const missing = await get(cast.patient, 'me/versions/3');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('SAFETYPLANS.NOT_FOUND');
    for (const bad of ['0', '-1', 'abc', '1.5', '99999999999', '2147483648']) {
      const res = await get(cast.patient, `me/versions/${bad}`);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['version']);
    }
    // Someone else's history is their own: another user sees none of these versions.
    expect((await get(cast.stranger, 'me/versions/1')).status).toBe(404);
    expect((await get(cast.stranger, 'me/versions')).body.pagination.count).toBe(0);
  });

  it('refuses a save from a stale or future base version with 409, writing nothing', async () => {
    expect((await put(cast.patient, { base_version: 0, ...PLAN })).status).toBe(200);
    expect((await put(cast.patient, { base_version: 1, warning_signs: ['Second'] })).status).toBe(200);
    for (const base of [0, 1, 3, 40]) {
      const res = await put(cast.patient, { base_version: base, warning_signs: ['Lost edit'] });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('SAFETYPLANS.VERSION_CONFLICT');
      expect(Object.keys(res.body.errors)).toEqual(['base_version']);
    }
    expect(await versionsIn(cast.patient)).toBe(2);
    expect((await get(cast.patient)).body.data).toMatchObject({ version: 2, warning_signs: ['Second'] });
  });

  it('of concurrent saves from the same base, exactly one wins', async () => {
    expect((await put(cast.patient, { base_version: 0, ...PLAN })).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => put(cast.patient, { base_version: 1, warning_signs: [`Edit ${i}`] })));
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === 'SAFETYPLANS.VERSION_CONFLICT')).toHaveLength(7);
    expect(await versionsIn(cast.patient)).toBe(2);
    expect((await get(cast.patient)).body.data).toEqual(won[0].body.data);
  });

  it('a therapist holding a grant reads and writes the client’s plan, audited, and each side hears of the other’s change', async () => {
    await withTherapist();
    const path = `clients/${cast.patient.id}`;
    const read = await get(cast.therapist, path);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ user_id: cast.patient.id, version: 0 });

    const written = await put(cast.therapist, { base_version: 0, ...PLAN }, path);
    expect(written.status).toBe(200);
    expect(written.body.data).toMatchObject({ user_id: cast.patient.id, version: 1, updated_by: cast.therapist.id, reasons_for_living: PLAN.reasons_for_living });
    const own = await get(cast.patient);
    expect(own.body.data).toMatchObject({ version: 1, updated_by: cast.therapist.id, warning_signs: PLAN.warning_signs });
    const toClient = (await notificationsOf(cast.patient)).filter((n) => n.title === 'Safety plan updated');
    expect(toClient).toHaveLength(1);
    expect(toClient[0].message).toMatch(/updated your safety plan/);

    expect((await put(cast.patient, { base_version: 1, ...PLAN, reasons_for_living: ['Mia', 'Music'] })).status).toBe(200);
    const toTherapist = (await notificationsOf(cast.therapist)).filter((n) => n.title === 'Safety plan updated');
    expect(toTherapist).toHaveLength(1);
    expect(toTherapist[0].related_id).toBe(cast.patient.id);
    // Notifications say who, never what the plan says.
    for (const n of [...toClient, ...toTherapist]) for (const secret of ['Mia', 'Anna', 'pills', 'lake']) expect(n.message).not.toContain(secret);

    const latest = await get(cast.therapist, path);
    expect(latest.body.data).toMatchObject({ version: 2, updated_by: cast.patient.id, reasons_for_living: ['Mia', 'Music'] });
    expect((await put(cast.therapist, { base_version: 1, warning_signs: ['Stale'] }, path)).status).toBe(409);

    const audited = await auditActions(cast.patient.id);
    expect(audited.filter((e) => e.action === 'safety_plan.read')).toEqual([
      { action: 'safety_plan.read', actor_id: cast.therapist.id },
      { action: 'safety_plan.read', actor_id: cast.therapist.id },
    ]);
    expect(audited.filter((e) => e.action === 'safety_plan.written')).toEqual(
      expect.arrayContaining([
        { action: 'safety_plan.written', actor_id: cast.therapist.id },
        { action: 'safety_plan.written', actor_id: cast.patient.id },
      ]),
    );
  });

  it('anyone else gets 404 for a client’s plan, exactly like an unknown id, and writes nothing', async () => {
    const grantId = await withTherapist();
    expect((await put(cast.patient, { base_version: 0, ...PLAN })).status).toBe(200);
    const otherTherapist = await verifiedProvider(api, cast.admin);
    await openChat(api, cast.patient, otherTherapist);
    const unverified = await registerUser(api, { role: 'therapist' });
    const path = `clients/${cast.patient.id}`;
    const refused = async (user: TestUser, target: string): Promise<void> => {
      for (const res of [await get(user, target), await put(user, { base_version: 1, warning_signs: ['Intruder'] }, target)]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('SAFETYPLANS.NOT_FOUND');
      }
    };
    // A therapist without a grant (even one the client chats with), an unverified one, another client, the admin.
    for (const user of [otherTherapist, unverified, cast.stranger, cast.admin]) await refused(user, path);
    // Unknown ids and the therapist's own id look the same; a grant from one client opens no other.
    await refused(cast.therapist, `clients/${randomUUID()}`);
    await refused(cast.therapist, `clients/${cast.therapist.id}`);
    await refused(cast.therapist, `clients/${cast.stranger.id}`);
    // The client's own plan is theirs through /me, not through the client route.
    await refused(cast.patient, path);
    // Revoking the grant ends access at once.
    expect((await get(cast.therapist, path)).status).toBe(200);
    await revokeCare(api, cast.patient, grantId);
    await refused(cast.therapist, path);
    expect((await get(cast.therapist, 'clients/not-a-uuid')).status).toBe(400);
    expect(await versionsIn(cast.patient)).toBe(1);
    expect(await versionsIn(cast.stranger)).toBe(0);
  });

  it('stores the plan encrypted: no plaintext in the table, and a row copied elsewhere does not decrypt', async () => {
    expect((await put(cast.patient, { base_version: 0, ...PLAN })).status).toBe(200);
    const [row] = await db.query('SELECT id, content, updated_by FROM safety_plan_versions WHERE user_id = $1', [cast.patient.id]);
    expect(row.updated_by).toBe(cast.patient.id);
    expect(row.content).toMatch(/^enc1\./);
    for (const plain of ['Anna', 'sister', '151 2345678', 'Mia', 'pills', 'warning_signs']) expect(row.content).not.toContain(plain);
    const plans = api.resolve(SafetyPlansService);
    expect(await plans.currentFor(cast.patient.id)).toMatchObject({ version: 1, warning_signs: PLAN.warning_signs });
    // The ciphertext is bound to its row: pasted into another user's plan it does not open.
    await db.query('INSERT INTO safety_plan_versions (id, user_id, version, content, updated_by) VALUES ($1, $2, 1, $3, $2)', [randomUUID(), cast.stranger.id, row.content]);
    await expect(plans.currentFor(cast.stranger.id)).rejects.toThrow(/decrypt/);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const long = 'x'.repeat(501);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...PLAN }, 'base_version'],
      [{ base_version: -1 }, 'base_version'],
      [{ base_version: 1.5 }, 'base_version'],
      [{ base_version: '0' }, 'base_version'],
      [{ base_version: 2147483647 }, 'base_version'],
      [{ base_version: 0, warning_signs: 'Skipping meals' }, 'warning_signs'],
      [{ base_version: 0, warning_signs: [long] }, 'warning_signs'],
      [{ base_version: 0, warning_signs: ['   '] }, 'warning_signs'],
      [{ base_version: 0, warning_signs: [42] }, 'warning_signs'],
      [{ base_version: 0, warning_signs: null }, 'warning_signs'],
      [{ base_version: 0, reasons_for_living: Array.from({ length: 21 }, (_, i) => `Reason ${i}`) }, 'reasons_for_living'],
      [{ base_version: 0, people_to_ask_for_help: [{ name: 'x'.repeat(101) }] }, 'people_to_ask_for_help.0.name'],
      [{ base_version: 0, people_to_ask_for_help: [{ name: '' }] }, 'people_to_ask_for_help.0.name'],
      [{ base_version: 0, people_to_ask_for_help: [{ name: 'Anna', phone: '1'.repeat(41) }] }, 'people_to_ask_for_help.0.phone'],
      [{ base_version: 0, professionals_and_agencies: [{ name: 'GP', email: 'gp@example.com' }] }, 'professionals_and_agencies.0.email'],
      [{ base_version: 0, professionals_and_agencies: Array.from({ length: 21 }, () => ({ name: 'GP' })) }, 'professionals_and_agencies'],
      [{ base_version: 0, hobbies: ['chess'] }, 'hobbies'],
      [{ base_version: 0, user_id: cast.stranger.id }, 'user_id'],
      [{ base_version: 0, version: 7 }, 'version'],
    ];
    for (const [body, field] of cases) {
      const res = await put(cast.patient, body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(Object.keys(res.body.errors)).toContain(field);
    }
    // Exactly at the caps is fine.
    const atCaps = await put(cast.patient, {
      base_version: 0,
      warning_signs: Array.from({ length: 20 }, () => 'x'.repeat(500)),
      people_to_ask_for_help: [{ name: 'n'.repeat(100), phone: '1'.repeat(40) }],
    });
    expect(atCaps.status).toBe(200);
    expect(await versionsIn(cast.patient)).toBe(1);
    expect((await get(cast.patient)).body.data.version).toBe(1);
  });
});
