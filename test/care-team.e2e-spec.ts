import { Role } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { SYSTEM_CONTEXT } from 'src/common/http/request-context';
import { CareTeamService } from 'src/modules/care-team/care-team.service';
import { CareScope } from 'src/modules/care-team/care-team.types';
import { grantCare, revokeCare } from './support/care-team';
import { chatCast, ChatCast, openChat, verifiedProvider } from './support/chat';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser, TestUser } from './support/users';

const asPrincipal = (user: TestUser, role: Role, isVerified = true): Principal => ({ userId: user.id, role, sessionId: null, apiTokenId: null, isVerified, rateTier: 'standard' });

describe('care-team sharing', () => {
  let api: TestApp;
  let careTeam: CareTeamService;
  let cast: ChatCast;

  beforeAll(async () => {
    api = await startTestApp();
    careTeam = api.resolve(CareTeamService);
  });
  beforeEach(async () => {
    cast = await chatCast(api);
    await openChat(api, cast.patient, cast.therapist);
  });
  afterAll(async () => {
    await api?.close();
  });

  const auditActions = async (targetId: string): Promise<string[]> => {
    const res = await api.get(`/api/v1/admin/audit-log?page_size=100&search=`, { token: cast.admin.access });
    expect(res.status).toBe(200);
    return (res.body.data as Array<{ action: string; target_id: string | null }>).filter((e) => e.target_id === targetId).map((e) => e.action);
  };

  it('a client grants, lists, changes and revokes; the therapist sees the grant; reads are authorised only while it covers them', async () => {
    const grantId = await grantCare(api, cast.patient, cast.therapist, ['mood']);
    const mine = await api.get('/api/v1/care-team/grants', { token: cast.patient.access });
    expect(mine.body.data).toEqual([
      expect.objectContaining({ id: grantId, scopes: ['mood'], active: true, therapist: expect.objectContaining({ id: cast.therapist.id, role: 'therapist' }) }),
    ]);
    const theirs = await api.get('/api/v1/care-team/clients?active=true', { token: cast.therapist.access });
    expect(theirs.body.data.map((g: { id: string }) => g.id)).toEqual([grantId]);
    expect(theirs.body.data[0].client.id).toBe(cast.patient.id);

    const therapist = asPrincipal(cast.therapist, Role.Therapist);
    expect(await careTeam.authorizeSharedRead(therapist, cast.patient.id, CareScope.Mood, 'mood entries', SYSTEM_CONTEXT)).toBe(true);
    expect(await careTeam.authorizeSharedRead(therapist, cast.patient.id, CareScope.Goals, 'goals', SYSTEM_CONTEXT)).toBe(false);
    expect(await careTeam.careTeamOf(cast.patient.id, CareScope.Mood)).toEqual([cast.therapist.id]);
    expect(await careTeam.careTeamOf(cast.patient.id, CareScope.Screeners)).toEqual([]);
    // The read that was allowed is in the audit log, against the client.
    expect(await auditActions(cast.patient.id)).toContain('care.shared_data_read');

    const changed = await api.patch(`/api/v1/care-team/grants/${grantId}`, { scopes: ['goals', 'screeners'] }, { token: cast.patient.access });
    expect(changed.status).toBe(200);
    expect(changed.body.data.scopes).toEqual(['goals', 'screeners']);
    expect(await careTeam.authorizeSharedRead(therapist, cast.patient.id, CareScope.Mood, 'mood entries', SYSTEM_CONTEXT)).toBe(false);
    expect(await careTeam.authorizeSharedRead(therapist, cast.patient.id, CareScope.Goals, 'goals', SYSTEM_CONTEXT)).toBe(true);

    await revokeCare(api, cast.patient, grantId);
    expect(await careTeam.authorizeSharedRead(therapist, cast.patient.id, CareScope.Goals, 'goals', SYSTEM_CONTEXT)).toBe(false);
    expect(await careTeam.careTeamOf(cast.patient.id, CareScope.Goals)).toEqual([]);
    const after = await api.get(`/api/v1/care-team/grants/${grantId}`, { token: cast.patient.access });
    expect(after.body.data).toMatchObject({ active: false, revoked_at: expect.any(String) });
    expect(await auditActions(grantId)).toEqual(expect.arrayContaining(['care.grant_created', 'care.grant_changed', 'care.grant_revoked']));
    // Revoked is final: changing or revoking it again is a 404; a new grant may be made.
    expect((await api.patch(`/api/v1/care-team/grants/${grantId}`, { scopes: ['mood'] }, { token: cast.patient.access })).status).toBe(404);
    expect((await api.delete(`/api/v1/care-team/grants/${grantId}`, { token: cast.patient.access })).status).toBe(404);
    await grantCare(api, cast.patient, cast.therapist, ['mood']);
  });

  it('only a verified therapist the client chats with may be granted, once at a time', async () => {
    const noChat = await verifiedProvider(api, cast.admin);
    const friend = await verifiedProvider(api, cast.admin, Role.Friend);
    await openChat(api, cast.patient, friend);
    const unverified = await registerUser(api, { role: Role.Therapist });
    for (const candidate of [noChat, friend, unverified, cast.stranger]) {
      const res = await api.post('/api/v1/care-team/grants', { therapist_id: candidate.id, scopes: ['mood'] }, { token: cast.patient.access });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['therapist_id']);
    }
    await grantCare(api, cast.patient, cast.therapist, ['mood']);
    const again = await api.post('/api/v1/care-team/grants', { therapist_id: cast.therapist.id, scopes: ['goals'] }, { token: cast.patient.access });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CARE.GRANT_EXISTS');
    // Providers do not share "their" data this way.
    const byTherapist = await api.post('/api/v1/care-team/grants', { therapist_id: cast.therapist.id, scopes: ['mood'] }, { token: noChat.access });
    expect(byTherapist.status).toBe(403);
    expect(byTherapist.body.code).toBe('CARE.CLIENTS_ONLY');
    const grants = await api.get('/api/v1/care-team/grants', { token: cast.patient.access });
    expect(grants.body.pagination.count).toBe(1);
  });

  it('concurrent grants to the same therapist leave one', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => api.post('/api/v1/care-team/grants', { therapist_id: cast.therapist.id, scopes: ['mood'] }, { token: cast.patient.access })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
  });

  it('refuses bad input naming the field and writes nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ therapist_id: cast.therapist.id, scopes: [] }, 'scopes'],
      [{ therapist_id: cast.therapist.id, scopes: ['mood', 'mood'] }, 'scopes'],
      [{ therapist_id: cast.therapist.id, scopes: ['diary'] }, 'scopes'],
      [{ therapist_id: 'not-a-uuid', scopes: ['mood'] }, 'therapist_id'],
      [{ therapist_id: cast.therapist.id, scopes: ['mood'], active: false }, 'active'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post('/api/v1/care-team/grants', body, { token: cast.patient.access });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toContain(field);
    }
    expect((await api.get('/api/v1/care-team/grants?active=maybe', { token: cast.patient.access })).status).toBe(400);
    expect((await api.get('/api/v1/care-team/grants', { token: cast.patient.access })).body.pagination.count).toBe(0);
  });

  it('another user’s grant is a 404 on every id route; the therapist may read but not change it', async () => {
    const grantId = await grantCare(api, cast.patient, cast.therapist, ['mood']);
    for (const user of [cast.stranger, cast.admin]) {
      expect((await api.get(`/api/v1/care-team/grants/${grantId}`, { token: user.access })).status).toBe(404);
      expect((await api.patch(`/api/v1/care-team/grants/${grantId}`, { scopes: ['goals'] }, { token: user.access })).status).toBe(404);
      expect((await api.delete(`/api/v1/care-team/grants/${grantId}`, { token: user.access })).status).toBe(404);
    }
    expect((await api.get(`/api/v1/care-team/grants/${grantId}`, { token: cast.therapist.access })).status).toBe(200);
    expect((await api.patch(`/api/v1/care-team/grants/${grantId}`, { scopes: ['goals'] }, { token: cast.therapist.access })).status).toBe(404);
    expect((await api.delete(`/api/v1/care-team/grants/${grantId}`, { token: cast.therapist.access })).status).toBe(404);
    expect((await api.get('/api/v1/care-team/grants/00000000-0000-4000-8000-000000000000', { token: cast.patient.access })).status).toBe(404);
  });

  it('a therapist who is suspended leaves every care team at once', async () => {
    await grantCare(api, cast.patient, cast.therapist, ['mood', 'screeners']);
    expect(await careTeam.careTeamOf(cast.patient.id, CareScope.Screeners)).toEqual([cast.therapist.id]);
    const suspended = await api.patch(`/api/v1/admin/users/${cast.therapist.id}`, { status: 'suspended' }, { token: cast.admin.access });
    expect(suspended.status).toBe(200);
    expect(await careTeam.careTeamOf(cast.patient.id, CareScope.Screeners)).toEqual([]);
  });
});
