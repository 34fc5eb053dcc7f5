import { DataSource } from 'typeorm';
import { chatCast, ChatCast, openChat, sendText, verifiedProvider } from './support/chat';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser, TestUser } from './support/users';

/**
 * The chat list (one prepared statement per sort column and direction, every filter a
 * parameter): what each chat shows, both orders, each filter, the total, pages past the
 * end, and only the caller's own chats.
 */
describe('chat list', () => {
  let api: TestApp;
  let db: DataSource;
  let cast: ChatCast;
  let therapists: TestUser[];
  /** The patient's direct chats with therapists[0..2], created in that order. */
  let chats: string[];
  let groupId: string;

  const list = (query: string, token = cast.patient.access) => api.get(`/api/v1/chats${query}`, { token });
  const idsOf = (body: any): string[] => body.data.map((c: any) => c.id);

  beforeAll(async () => {
    api = await startTestApp();
    db = api.resolve(DataSource);
    cast = await chatCast(api);
    therapists = [cast.therapist, await verifiedProvider(api, cast.admin), await verifiedProvider(api, cast.admin)];
    chats = [];
    for (const therapist of therapists) chats.push(await openChat(api, cast.patient, therapist));
    // Creation days and activity set by hand, so each order is known: chats[1] was active last.
    await db.query(
      `UPDATE conversations SET created_at = timestamptz '2026-03-01T00:00:00Z' + make_interval(days => array_position($1::uuid[], id)),
                                activity_at = timestamptz '2026-06-01T00:00:00Z' + make_interval(days => CASE WHEN id = $1[2] THEN 10 ELSE array_position($1::uuid[], id) END)
        WHERE id = ANY($1::uuid[])`,
      [chats],
    );
    const group = await api.post('/api/v1/groups', { name: 'Evening 100% Calm_Group', description: 'Weekly' }, { token: cast.therapist.access });
    groupId = group.body.data.id;
    expect((await api.post(`/api/v1/groups/${groupId}/join`, undefined, { token: cast.patient.access })).status).toBe(200);
    await db.query(`UPDATE conversations SET created_at = '2026-02-01T00:00:00Z', activity_at = '2026-01-01T00:00:00Z' WHERE id = $1`, [groupId]);
    // Someone else's chat, never in the patient's list.
    await openChat(api, cast.stranger, cast.therapist);
  });
  afterAll(() => api?.close());

  it('shows each chat with its participants, unread count and last message preview', async () => {
    await sendText(api, chats[0], therapists[0], 'How did the week go?');
    await sendText(api, chats[0], therapists[0], 'x'.repeat(300));
    const res = await list('?kind=direct');
    expect(res.status).toBe(200);
    const first = res.body.data.find((c: any) => c.id === chats[0]);
    expect(first).toMatchObject({
      kind: 'direct',
      status: 'active',
      name: null,
      unread_count: 2,
      notifications_enabled: true,
      blocked_by: null,
      member_count: 2,
      last_message: { sender_id: therapists[0].id, timestamp: expect.any(String) },
    });
    expect(first.last_message.text).toBe(`${'x'.repeat(119)}…`);
    expect(first.participants.map((p: any) => p.id).sort()).toEqual([cast.patient.id, therapists[0].id].sort());
    expect(first.participants.find((p: any) => p.id === therapists[0].id)).toEqual({
      id: therapists[0].id,
      first_name: expect.any(String),
      last_name: expect.any(String),
      role: 'therapist',
    });
    // The single-chat read shows the same.
    expect((await api.get(`/api/v1/chats/${chats[0]}`, { token: cast.patient.access })).body.data).toEqual(first);
    // The therapist sees it from their side: their own messages are not unread.
    expect((await api.get(`/api/v1/chats/${chats[0]}`, { token: therapists[0].access })).body.data).toMatchObject({ unread_count: 0 });
    // Reading it back the activity order set above (sending moved chats[0]).
    await db.query(`UPDATE conversations SET activity_at = '2026-06-02T00:00:00Z' WHERE id = $1`, [chats[0]]);
  });

  it('lists only your chats, last active first by default; groups show no participants', async () => {
    const res = await list('');
    expect(idsOf(res.body)).toEqual([chats[1], chats[2], chats[0], groupId]);
    expect(res.body.pagination).toMatchObject({ count: 4, page: 1, total_pages: 1 });
    expect(res.body.data.find((c: any) => c.id === groupId)).toMatchObject({ kind: 'group', participants: [], name: 'Evening 100% Calm_Group' });
  });

  it('sorts by creation either way and pages with the total; a page past the end keeps it', async () => {
    expect(idsOf((await list('?ordering=created_at')).body)).toEqual([groupId, ...chats]);
    const second = await list('?ordering=-created_at&page_size=3&page=2');
    expect(idsOf(second.body)).toEqual([groupId]);
    expect(second.body.pagination).toMatchObject({ count: 4, page: 2, total_pages: 2 });
    expect(idsOf((await list('?ordering=-last_message_at&page_size=2')).body)).toEqual([chats[1], chats[2]]);
    const past = await list('?page=9&kind=direct');
    expect(past.body.data).toEqual([]);
    expect(past.body.pagination).toMatchObject({ count: 3, page: 9 });
  });

  it('filters by kind, status (deleted ones only when asked), name search and creation date', async () => {
    expect(idsOf((await list('?kind=group')).body)).toEqual([groupId]);
    expect((await api.post(`/api/v1/chats/${chats[2]}/status`, { status: 'blocked' }, { token: cast.patient.access })).status).toBe(200);
    expect(idsOf((await list('?status=blocked')).body)).toEqual([chats[2]]);
    await db.query(`UPDATE conversations SET status = 'deleted' WHERE id = $1`, [chats[2]]);
    expect(idsOf((await list('')).body)).not.toContain(chats[2]);
    expect(idsOf((await list('?status=deleted')).body)).toEqual([chats[2]]);
    expect(idsOf((await list(`?search=${encodeURIComponent('100% calm_')}`)).body)).toEqual([groupId]);
    expect((await list(`?search=${encodeURIComponent('100%%')}`)).body.data).toEqual([]);
    expect(idsOf((await list('?date_after=2026-03-03T00:00:00Z&date_before=2026-03-04T00:00:00Z')).body)).toEqual([chats[1]]);
  });

  it('a chat you left is not listed', async () => {
    const outsider = await registerUser(api);
    expect((await list('', outsider.access)).body).toMatchObject({ data: [], pagination: { count: 0 } });
    expect((await api.post(`/api/v1/groups/${groupId}/leave`, undefined, { token: cast.patient.access })).status).toBe(200);
    expect(idsOf((await list('')).body)).not.toContain(groupId);
  });

  it('refuses bad parameters with the fields named', async () => {
    const bad = await list('?ordering=name&kind=secret&page=0');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['kind', 'ordering', 'page']);
  });
});
