import { Role } from 'src/common/access/permissions';
import { AlarmPlanService } from 'src/modules/ptsd/alarm-plan.service';
import { verifiedProvider } from './support/chat';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';

const SEEDED_DEFAULT_SCENARIO_ID = '2b824072-d089-49fc-94de-d9cffd5a1f57';
const SEEDED_TRACK_ID = '0a95058c-f21b-4e35-a10f-e572f04c4067';
const MISSING_ID = '7d9f2a64-1c3b-4e5f-8a90-123456789abc';

const contactBody = (n = 1): Record<string, unknown> => ({ name: `Contact ${n}`, phone: '+1 (415) 555-2671', relationship: 'sister' });

describe('ptsd: profile, contacts, therapist contact, music, scenarios', () => {
  let api: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    admin = await createUserWithRole(api, Role.Admin);
  });
  afterAll(() => api?.close());

  const newTrack = async (name = 'Soft piano'): Promise<string> => {
    const res = await api.post('/api/v1/admin/music-tracks', { name, url: 'https://media.haven.example/calm/piano.mp3', duration_seconds: 240 }, { token: admin.access });
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  };
  const newScenario = async (extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await api.post(
      '/api/v1/admin/alarm-scenarios',
      { name: 'Quiet alarm', play_music: true, notify_contacts: false, notify_therapist: false, messages: { en: '{first_name} needs a moment.' }, ...extra },
      { token: admin.access },
    );
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  };
  const defaultScenarios = async (): Promise<Array<{ id: string }>> => {
    const res = await api.get('/api/v1/admin/alarm-scenarios?page_size=100', { token: admin.access });
    expect(res.status).toBe(200);
    return (res.body.data as Array<{ id: string; is_default: boolean }>).filter((s) => s.is_default);
  };

  describe('profile', () => {
    it('reads nulls before the first write, then what was written; null clears a field', async () => {
      const user = await registerUser(api);
      const empty = await api.get('/api/v1/ptsd/profile', { token: user.access });
      expect(empty.status).toBe(200);
      expect(empty.body.data).toEqual({
        age: null,
        location: null,
        military_status: null,
        ptsd_level: null,
        music_track_id: null,
        scenario_id: null,
        therapist_contact: null,
        updated_at: null,
      });

      const trackId = await newTrack();
      const updated = await api.patch(
        '/api/v1/ptsd/profile',
        { age: 34, location: ' Kyiv ', military_status: true, ptsd_level: 3, music_track_id: trackId, scenario_id: SEEDED_DEFAULT_SCENARIO_ID },
        { token: user.access },
      );
      expect(updated.status).toBe(200);
      expect(updated.body.data).toMatchObject({ age: 34, location: 'Kyiv', military_status: true, ptsd_level: 3, music_track_id: trackId, scenario_id: SEEDED_DEFAULT_SCENARIO_ID });

      const cleared = await api.patch('/api/v1/ptsd/profile', { location: null, music_track_id: null }, { token: user.access });
      expect(cleared.status).toBe(200);
      expect(cleared.body.data).toMatchObject({ age: 34, location: null, music_track_id: null, ptsd_level: 3 });
    });

    it.each([
      ['age', { age: 12 }],
      ['age', { age: 121 }],
      ['ptsd_level', { ptsd_level: 0 }],
      ['ptsd_level', { ptsd_level: 6 }],
      ['music_track_id', { music_track_id: MISSING_ID }],
      ['scenario_id', { scenario_id: MISSING_ID }],
      ['nickname', { nickname: 'x' }],
    ])('refuses a bad %s with a 400 naming it, writing nothing', async (field, body) => {
      const user = await registerUser(api);
      await api.patch('/api/v1/ptsd/profile', { age: 40, ptsd_level: 2 }, { token: user.access });
      const res = await api.patch('/api/v1/ptsd/profile', { location: 'Lviv', ...body }, { token: user.access });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toContain(field);
      const after = await api.get('/api/v1/ptsd/profile', { token: user.access });
      expect(after.body.data).toMatchObject({ age: 40, ptsd_level: 2, location: null });
    });

    it('names the field of an unknown track or scenario with a clear message', async () => {
      const user = await registerUser(api);
      const track = await api.patch('/api/v1/ptsd/profile', { music_track_id: MISSING_ID }, { token: user.access });
      expect(track.body.errors.music_track_id[0]).toMatch(/^music_track_id: no such track/);
      const scenario = await api.patch('/api/v1/ptsd/profile', { scenario_id: MISSING_ID }, { token: user.access });
      expect(scenario.body.errors.scenario_id[0]).toMatch(/^scenario_id: no such scenario/);
    });

    it('refuses an inactive track or scenario', async () => {
      const user = await registerUser(api);
      const trackId = await newTrack('Retired track');
      expect((await api.patch(`/api/v1/admin/music-tracks/${trackId}`, { active: false }, { token: admin.access })).status).toBe(200);
      const scenarioId = await newScenario({ active: false });
      const res = await api.patch('/api/v1/ptsd/profile', { music_track_id: trackId }, { token: user.access });
      expect(res.status).toBe(400);
      const res2 = await api.patch('/api/v1/ptsd/profile', { scenario_id: scenarioId }, { token: user.access });
      expect(res2.status).toBe(400);
    });
  });

  describe('emergency contacts', () => {
    it('creates (phone normalised, language en), lists, reads, edits and deletes', async () => {
      const user = await registerUser(api);
      const created = await api.post('/api/v1/emergency-contacts', { ...contactBody(), email: 'maria@example.com' }, { token: user.access });
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({ name: 'Contact 1', phone: '+14155552671', email: 'maria@example.com', relationship: 'sister', language: 'en' });
      const id = created.body.data.id as string;

      const list = await api.get('/api/v1/emergency-contacts', { token: user.access });
      expect(list.status).toBe(200);
      expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([id]);
      expect(list.body.pagination.count).toBe(1);

      expect((await api.get(`/api/v1/emergency-contacts/${id}`, { token: user.access })).body.data.id).toBe(id);

      const edited = await api.patch(`/api/v1/emergency-contacts/${id}`, { phone: '+7 912 345-67-89', language: 'ru', email: null }, { token: user.access });
      expect(edited.status).toBe(200);
      expect(edited.body.data).toMatchObject({ phone: '+79123456789', language: 'ru', email: null });

      const removed = await api.delete(`/api/v1/emergency-contacts/${id}`, { token: user.access });
      expect(removed.status).toBe(200);
      expect((await api.get(`/api/v1/emergency-contacts/${id}`, { token: user.access })).status).toBe(404);
    });

    it('refuses bad input with a 400 naming the field, writing nothing', async () => {
      const user = await registerUser(api);
      const cases: Array<[string, Record<string, unknown>]> = [
        ['phone', { ...contactBody(), phone: '12345' }],
        ['phone', { ...contactBody(), phone: '+1 555' }],
        ['name', { ...contactBody(), name: '' }],
        ['relationship', { ...contactBody(), relationship: 'x'.repeat(61) }],
        ['language', { ...contactBody(), language: 'de' }],
        ['email', { ...contactBody(), email: 'not-an-email' }],
        ['role', { ...contactBody(), role: 'admin' }],
      ];
      for (const [field, body] of cases) {
        const res = await api.post('/api/v1/emergency-contacts', body, { token: user.access });
        expect(res.status).toBe(400);
        expect(Object.keys(res.body.errors)).toContain(field);
      }
      const missing = await api.post('/api/v1/emergency-contacts', { name: 'A' }, { token: user.access });
      expect(missing.status).toBe(400);
      expect(Object.keys(missing.body.errors)).toEqual(expect.arrayContaining(['phone', 'relationship']));
      expect((await api.get('/api/v1/emergency-contacts', { token: user.access })).body.pagination.count).toBe(0);
    });

    it('caps a user at 10 contacts with a 409', async () => {
      const user = await registerUser(api);
      for (let n = 1; n <= 10; n++) expect((await api.post('/api/v1/emergency-contacts', contactBody(n), { token: user.access })).status).toBe(201);
      const over = await api.post('/api/v1/emergency-contacts', contactBody(11), { token: user.access });
      expect(over.status).toBe(409);
      expect(over.body.code).toBe('PTSD.CONTACT_LIMIT');
    });

    it('holds the cap under 15 parallel creates from none', async () => {
      const user = await registerUser(api);
      const results = await Promise.all(Array.from({ length: 15 }, (_, n) => api.post('/api/v1/emergency-contacts', contactBody(n), { token: user.access })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(10);
      expect(results.filter((r) => r.status === 409)).toHaveLength(5);
      expect((await api.get('/api/v1/emergency-contacts', { token: user.access })).body.pagination.count).toBe(10);
    });

    it("answers 404 for another user's contact on get, patch and delete, changing nothing", async () => {
      const owner = await registerUser(api);
      const other = await registerUser(api);
      const id = (await api.post('/api/v1/emergency-contacts', contactBody(), { token: owner.access })).body.data.id as string;
      for (const res of [
        await api.get(`/api/v1/emergency-contacts/${id}`, { token: other.access }),
        await api.patch(`/api/v1/emergency-contacts/${id}`, { name: 'Mine now' }, { token: other.access }),
        await api.delete(`/api/v1/emergency-contacts/${id}`, { token: other.access }),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('PTSD.CONTACT_NOT_FOUND');
      }
      expect((await api.get(`/api/v1/emergency-contacts/${id}`, { token: owner.access })).body.data.name).toBe('Contact 1');
      expect((await api.get('/api/v1/emergency-contacts', { token: other.access })).body.data).toEqual([]);
    });
  });

  describe('therapist contact', () => {
    it('is 404 until set; an external one needs name, phone and email; PUT creates (201) then replaces (200)', async () => {
      const user = await registerUser(api);
      const none = await api.get('/api/v1/therapist-contact', { token: user.access });
      expect(none.status).toBe(404);
      expect(none.body.code).toBe('PTSD.THERAPIST_CONTACT_NOT_FOUND');
      expect((await api.patch('/api/v1/therapist-contact', { name: 'X' }, { token: user.access })).status).toBe(404);

      const partial = await api.request('PUT', '/api/v1/therapist-contact', { body: { name: 'Dr. Koval' }, token: user.access });
      expect(partial.status).toBe(400);
      expect(Object.keys(partial.body.errors).sort()).toEqual(['email', 'phone']);
      const badPhone = await api.request('PUT', '/api/v1/therapist-contact', { body: { name: 'Dr. Koval', phone: '12345', email: 'k@example.com' }, token: user.access });
      expect(badPhone.status).toBe(400);
      expect(Object.keys(badPhone.body.errors)).toEqual(['phone']);
      expect((await api.get('/api/v1/therapist-contact', { token: user.access })).status).toBe(404);

      const body = { name: 'Dr. Koval', phone: '+44 20 7946 0958', email: 'koval@example.com' };
      const created = await api.request('PUT', '/api/v1/therapist-contact', { body, token: user.access });
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({ kind: 'external', name: 'Dr. Koval', phone: '+442079460958', email: 'koval@example.com', therapist_user_id: null });
      const replaced = await api.request('PUT', '/api/v1/therapist-contact', { body: { ...body, name: 'Dr. Olena Koval' }, token: user.access });
      expect(replaced.status).toBe(200);
      expect(replaced.body.data.name).toBe('Dr. Olena Koval');

      const edited = await api.patch('/api/v1/therapist-contact', { email: 'olena@example.com' }, { token: user.access });
      expect(edited.status).toBe(200);
      expect(edited.body.data).toMatchObject({ kind: 'external', name: 'Dr. Olena Koval', email: 'olena@example.com' });
      expect((await api.get('/api/v1/ptsd/profile', { token: user.access })).body.data.therapist_contact).toMatchObject({ kind: 'external', email: 'olena@example.com' });

      expect((await api.delete('/api/v1/therapist-contact', { token: user.access })).status).toBe(200);
      expect((await api.get('/api/v1/therapist-contact', { token: user.access })).status).toBe(404);
      expect((await api.delete('/api/v1/therapist-contact', { token: user.access })).status).toBe(404);
    });

    it('takes a verified Haven therapist by account, refusing an unverified one or a client', async () => {
      const user = await registerUser(api);
      const unverified = await registerUser(api, { role: Role.Therapist });
      const client = await registerUser(api);
      for (const id of [unverified.id, client.id, MISSING_ID, user.id]) {
        const res = await api.request('PUT', '/api/v1/therapist-contact', { body: { therapist_user_id: id }, token: user.access });
        expect(res.status).toBe(400);
        expect(Object.keys(res.body.errors)).toEqual(['therapist_user_id']);
      }
      const both = await api.request('PUT', '/api/v1/therapist-contact', { body: { therapist_user_id: unverified.id, name: 'X' }, token: user.access });
      expect(both.status).toBe(400);
      expect(Object.keys(both.body.errors)).toEqual(['name']);

      const therapist = await verifiedProvider(api, admin);
      const res = await api.request('PUT', '/api/v1/therapist-contact', { body: { therapist_user_id: therapist.id }, token: user.access });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ kind: 'platform', therapist_user_id: therapist.id, phone: null, email: null });
      expect(res.body.data.name).toMatch(/^Test User/);

      // PATCH switches kinds: to external with all three fields, back with therapist_user_id.
      const partial = await api.patch('/api/v1/therapist-contact', { name: 'Dr. Koval' }, { token: user.access });
      expect(partial.status).toBe(400);
      expect(Object.keys(partial.body.errors).sort()).toEqual(['email', 'phone']);
      const external = await api.patch('/api/v1/therapist-contact', { name: 'Dr. Koval', phone: '+442079460958', email: 'k@example.com' }, { token: user.access });
      expect(external.body.data).toMatchObject({ kind: 'external', name: 'Dr. Koval', therapist_user_id: null });
      const back = await api.patch('/api/v1/therapist-contact', { therapist_user_id: therapist.id }, { token: user.access });
      expect(back.body.data).toMatchObject({ kind: 'platform', therapist_user_id: therapist.id, phone: null, email: null });
    });
  });

  describe('music catalogue', () => {
    it('refuses non-staff on the admin routes', async () => {
      const user = await registerUser(api);
      expect((await api.get('/api/v1/admin/music-tracks', { token: user.access })).status).toBe(403);
      expect((await api.post('/api/v1/admin/music-tracks', { name: 'x', url: 'https://a.example/x.mp3' }, { token: user.access })).status).toBe(403);
      expect((await api.patch(`/api/v1/admin/music-tracks/${SEEDED_TRACK_ID}`, { name: 'x' }, { token: user.access })).status).toBe(403);
      expect((await api.delete(`/api/v1/admin/music-tracks/${SEEDED_TRACK_ID}`, { token: user.access })).status).toBe(403);
    });

    it('lets staff add, edit, deactivate and delete tracks; users see only active ones', async () => {
      const user = await registerUser(api);
      const seeded = await api.get('/api/v1/music-tracks?page_size=100', { token: user.access });
      expect(seeded.status).toBe(200);
      expect(seeded.body.data.map((t: { id: string }) => t.id)).toContain(SEEDED_TRACK_ID);

      const bad = await api.post('/api/v1/admin/music-tracks', { name: 'Plain', url: 'http://media.haven.example/x.mp3', duration_seconds: 0 }, { token: admin.access });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors).sort()).toEqual(['duration_seconds', 'url']);

      const id = await newTrack('Night rain');
      const edited = await api.patch(`/api/v1/admin/music-tracks/${id}`, { name: 'Night rain (long)', duration_seconds: null }, { token: admin.access });
      expect(edited.body.data).toMatchObject({ name: 'Night rain (long)', duration_seconds: null, active: true });

      // Chosen by a user: deleting deactivates it.
      expect((await api.patch('/api/v1/ptsd/profile', { music_track_id: id }, { token: user.access })).status).toBe(200);
      expect((await api.delete(`/api/v1/admin/music-tracks/${id}`, { token: admin.access })).status).toBe(200);
      const listed = await api.get('/api/v1/music-tracks?page_size=100', { token: user.access });
      expect(listed.body.data.map((t: { id: string }) => t.id)).not.toContain(id);
      const inactive = await api.get('/api/v1/admin/music-tracks?active=false&page_size=100', { token: admin.access });
      expect(inactive.body.data.map((t: { id: string }) => t.id)).toContain(id);

      // Chosen by nobody: deleted.
      const unused = await newTrack('Unused');
      expect((await api.delete(`/api/v1/admin/music-tracks/${unused}`, { token: admin.access })).status).toBe(200);
      expect((await api.patch(`/api/v1/admin/music-tracks/${unused}`, { name: 'x' }, { token: admin.access })).status).toBe(404);
    });
  });

  describe('alarm scenarios', () => {
    it('has the seeded default scenario in English and Russian, and exactly one default', async () => {
      const user = await registerUser(api);
      const res = await api.get('/api/v1/alarm-scenarios?page_size=100', { token: user.access });
      expect(res.status).toBe(200);
      const seeded = res.body.data.find((s: { id: string }) => s.id === SEEDED_DEFAULT_SCENARIO_ID);
      expect(seeded).toBeDefined();
      expect(seeded.messages.en).toContain('{first_name}');
      expect(seeded.messages.ru).toContain('{first_name}');
      expect(await defaultScenarios()).toHaveLength(1);
    });

    it('refuses non-staff on the admin routes', async () => {
      const user = await registerUser(api);
      expect((await api.get('/api/v1/admin/alarm-scenarios', { token: user.access })).status).toBe(403);
      expect((await api.post('/api/v1/admin/alarm-scenarios', { name: 'x', messages: { en: 'x' } }, { token: user.access })).status).toBe(403);
      expect((await api.patch(`/api/v1/admin/alarm-scenarios/${SEEDED_DEFAULT_SCENARIO_ID}`, { name: 'x' }, { token: user.access })).status).toBe(403);
      expect((await api.delete(`/api/v1/admin/alarm-scenarios/${SEEDED_DEFAULT_SCENARIO_ID}`, { token: user.access })).status).toBe(403);
    });

    it('lets staff create, edit and remove scenarios, moving the default flag and keeping exactly one', async () => {
      const bad = await api.post('/api/v1/admin/alarm-scenarios', { name: 'No text', messages: { ru: 'только' } }, { token: admin.access });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.errors)).toContain('en');

      const id = await newScenario({ messages: { en: 'Hello {first_name}', ru: 'Привет' } });
      const edited = await api.patch(`/api/v1/admin/alarm-scenarios/${id}`, { notify_therapist: true, messages: { ru: null } }, { token: admin.access });
      expect(edited.status).toBe(200);
      expect(edited.body.data).toMatchObject({ notify_therapist: true, messages: { en: 'Hello {first_name}', ru: null }, is_default: false });

      const previous = (await defaultScenarios())[0].id;
      try {
        const moved = await api.patch(`/api/v1/admin/alarm-scenarios/${id}`, { is_default: true }, { token: admin.access });
        expect(moved.status).toBe(200);
        expect(moved.body.data.is_default).toBe(true);
        expect((await defaultScenarios()).map((s) => s.id)).toEqual([id]);

        for (const refused of [
          await api.patch(`/api/v1/admin/alarm-scenarios/${id}`, { is_default: false }, { token: admin.access }),
          await api.patch(`/api/v1/admin/alarm-scenarios/${id}`, { active: false }, { token: admin.access }),
          await api.delete(`/api/v1/admin/alarm-scenarios/${id}`, { token: admin.access }),
        ]) {
          expect(refused.status).toBe(409);
          expect(refused.body.code).toBe('PTSD.DEFAULT_SCENARIO_REQUIRED');
        }
      } finally {
        expect((await api.patch(`/api/v1/admin/alarm-scenarios/${previous}`, { is_default: true }, { token: admin.access })).status).toBe(200);
      }
      expect((await defaultScenarios()).map((s) => s.id)).toEqual([previous]);

      expect((await api.delete(`/api/v1/admin/alarm-scenarios/${id}`, { token: admin.access })).status).toBe(200);
      expect((await api.patch(`/api/v1/admin/alarm-scenarios/${id}`, { name: 'x' }, { token: admin.access })).status).toBe(404);
    });

    it('keeps exactly one default when two scenarios are made default at once', async () => {
      const [a, b] = [await newScenario(), await newScenario()];
      const previous = (await defaultScenarios())[0].id;
      try {
        const results = await Promise.all([a, b].map((id) => api.patch(`/api/v1/admin/alarm-scenarios/${id}`, { is_default: true }, { token: admin.access })));
        expect(results.map((r) => r.status)).toEqual([200, 200]);
        const defaults = await defaultScenarios();
        expect(defaults).toHaveLength(1);
        expect([a, b]).toContain(defaults[0].id);
      } finally {
        expect((await api.patch(`/api/v1/admin/alarm-scenarios/${previous}`, { is_default: true }, { token: admin.access })).status).toBe(200);
      }
    });
  });

  describe('AlarmPlanService', () => {
    it('returns the chosen track, scenario, contacts (oldest first) and therapist', async () => {
      const user = await registerUser(api);
      const trackId = await newTrack('Plan track');
      const scenarioId = await newScenario({ messages: { en: 'Plan {first_name}', ru: 'План' }, notify_therapist: true });
      await api.patch('/api/v1/ptsd/profile', { music_track_id: trackId, scenario_id: scenarioId }, { token: user.access });
      const first = (await api.post('/api/v1/emergency-contacts', { ...contactBody(1), email: 'one@example.com', language: 'ru' }, { token: user.access })).body.data.id;
      const second = (await api.post('/api/v1/emergency-contacts', contactBody(2), { token: user.access })).body.data.id;
      const therapist = await verifiedProvider(api, admin);
      await api.request('PUT', '/api/v1/therapist-contact', { body: { therapist_user_id: therapist.id }, token: user.access });

      const plans = api.resolve(AlarmPlanService);
      const plan = await plans.planFor(user.id);
      expect(plan.track).toEqual({ id: trackId, name: 'Plan track', url: 'https://media.haven.example/calm/piano.mp3', durationSeconds: 240 });
      expect(plan.scenario).toEqual({
        id: scenarioId,
        name: 'Quiet alarm',
        playMusic: true,
        notifyContacts: false,
        notifyTherapist: true,
        messages: { en: 'Plan {first_name}', ru: 'План' },
      });
      expect(plan.contacts).toEqual([
        { id: first, name: 'Contact 1', relationship: 'sister', phone: '+14155552671', email: 'one@example.com', language: 'ru' },
        { id: second, name: 'Contact 2', relationship: 'sister', phone: '+14155552671', email: null, language: 'en' },
      ]);
      expect(plan.therapist).toMatchObject({ kind: 'platform', userId: therapist.id });
      expect(await plans.contact(user.id, first)).toMatchObject({ id: first, language: 'ru' });
      expect(await plans.contact(admin.id, first)).toBeNull();

      // A therapist who lost verification is no longer part of the plan.
      await api.patch(`/api/v1/admin/users/${therapist.id}`, { is_verified: false }, { token: admin.access });
      expect((await plans.planFor(user.id)).therapist).toBeNull();
      // A deactivated track or scenario drops out: no track, the default scenario.
      await api.patch(`/api/v1/admin/music-tracks/${trackId}`, { active: false }, { token: admin.access });
      await api.patch(`/api/v1/admin/alarm-scenarios/${scenarioId}`, { active: false }, { token: admin.access });
      const fallback = await plans.planFor(user.id);
      expect(fallback.track).toBeNull();
      expect(fallback.scenario?.id).toBe((await defaultScenarios())[0].id);
    });

    it('gives the default scenario and empty lists to a user who set nothing up', async () => {
      const user = await registerUser(api);
      const plan = await api.resolve(AlarmPlanService).planFor(user.id);
      const [theDefault] = await defaultScenarios();
      expect(plan).toEqual({ scenario: expect.objectContaining({ id: theDefault.id }), track: null, contacts: [], therapist: null });
    });

    it('gives an external therapist with name, email and phone', async () => {
      const user = await registerUser(api);
      await api.request('PUT', '/api/v1/therapist-contact', { body: { name: 'Dr. Koval', phone: '+442079460958', email: 'koval@example.com' }, token: user.access });
      const plan = await api.resolve(AlarmPlanService).planFor(user.id);
      expect(plan.therapist).toEqual({ kind: 'external', name: 'Dr. Koval', email: 'koval@example.com', phone: '+442079460958' });
    });
  });
});
