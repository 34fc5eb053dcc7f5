import { Role } from 'src/common/access/permissions';
import { DataSource } from 'typeorm';
import { chatCast, ChatCast, openChat, sendText, verifiedProvider } from './support/chat';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser } from './support/users';

describe('direct chats over REST', () => {
  let api: TestApp;
  let cast: ChatCast;
  let chatId: string;

  beforeAll(async () => {
    api = await startTestApp();
  });
  // Each test owns its people and their chat: none relies on another having run first.
  beforeEach(async () => {
    cast = await chatCast(api);
    chatId = await openChat(api, cast.patient, cast.therapist);
  });
  afterAll(() => api?.close());

  it('create-or-get returns one chat per pair, also when called concurrently', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? api.post('/api/v1/chats', { participant_id: cast.therapist.id }, { token: cast.patient.access })
          : api.post('/api/v1/chats', { participant_id: cast.patient.id }, { token: cast.therapist.access }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const ids = new Set(results.map((r) => r.body.data.id));
    expect(ids.size).toBe(1);
    expect([...ids]).toEqual([chatId]);
    const rows = await api.resolve(DataSource).query(`SELECT count(*)::int AS n FROM conversations WHERE kind = 'direct' AND pair_key LIKE '%' || $1 || '%'`, [cast.patient.id]);
    expect(rows[0].n).toBe(1);
    const chat = results[0].body.data;
    expect(chat).toMatchObject({ kind: 'direct', status: 'active', unread_count: 0, last_message: null, notifications_enabled: true });
    expect(chat.participants.map((p: any) => p.id).sort()).toEqual([cast.patient.id, cast.therapist.id].sort());
  });

  it('refuses client-to-client chats with a code, and unverified providers', async () => {
    const res = await api.post('/api/v1/chats', { participant_id: cast.stranger.id }, { token: cast.patient.access });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CHAT.CLIENT_TO_CLIENT');
    const unverified = await registerUser(api, { role: Role.Therapist });
    const refused = await api.post('/api/v1/chats', { participant_id: unverified.id }, { token: cast.patient.access });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('CHAT.PROVIDER_NOT_VERIFIED');
    const self = await api.post('/api/v1/chats', { participant_id: cast.patient.id }, { token: cast.patient.access });
    expect(self.status).toBe(400);
    expect(self.body.errors.participant_id).toBeDefined();
    const ghost = await api.post('/api/v1/chats', { participant_id: '00000000-0000-4000-8000-000000000000' }, { token: cast.patient.access });
    expect(ghost.status).toBe(404);
  });

  it('staff may chat with anyone; providers may not chat with providers', async () => {
    expect((await api.post('/api/v1/chats', { participant_id: cast.stranger.id }, { token: cast.admin.access })).status).toBe(200);
    const friend = await verifiedProvider(api, cast.admin, Role.Friend);
    const res = await api.post('/api/v1/chats', { participant_id: friend.id }, { token: cast.therapist.access });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CHAT.PAIR_NOT_ALLOWED');
  });

  it('sends, lists newest first, and keeps unread counts and the preview right', async () => {
    const first = await sendText(api, chatId, cast.patient, 'Hello doctor');
    expect(first).toMatchObject({ chat_id: chatId, seq: 1, sender_id: cast.patient.id, message_type: 'text', text: 'Hello doctor', read_status: 'sent' });
    await sendText(api, chatId, cast.patient, 'Are you there?');
    const therapistView = await api.get(`/api/v1/chats/${chatId}`, { token: cast.therapist.access });
    expect(therapistView.body.data.unread_count).toBe(2);
    expect(therapistView.body.data.last_message).toMatchObject({ text: 'Are you there?', sender_id: cast.patient.id });
    const patientView = await api.get(`/api/v1/chats/${chatId}`, { token: cast.patient.access });
    expect(patientView.body.data.unread_count).toBe(0);
    const history = await api.get(`/api/v1/chats/${chatId}/messages`, { token: cast.therapist.access });
    expect(history.body.data.map((m: any) => m.text)).toEqual(['Are you there?', 'Hello doctor']);
    expect(history.body.cursor).toMatchObject({ has_more: false });
    const unread = await api.get(`/api/v1/chats/${chatId}/messages/unread`, { token: cast.therapist.access });
    expect(unread.body.data.map((m: any) => m.text)).toEqual(['Hello doctor', 'Are you there?']);
    const read = await api.post(`/api/v1/chats/${chatId}/messages/${first.id}/read`, undefined, { token: cast.therapist.access });
    expect(read.body.data).toMatchObject({ up_to_seq: 1, unread_count: 1 });
    const all = await api.post(`/api/v1/chats/${chatId}/read`, undefined, { token: cast.therapist.access });
    expect(all.body.data).toMatchObject({ up_to_seq: 2, unread_count: 0 });
    const after = await api.get(`/api/v1/chats/${chatId}/messages`, { token: cast.patient.access });
    expect(after.body.data.every((m: any) => m.read_status === 'read' && m.read_by === cast.therapist.id && m.read_at)).toBe(true);
  });

  it('paginates history by cursor and filters', async () => {
    await sendText(api, chatId, cast.patient, 'Hello doctor');
    await sendText(api, chatId, cast.patient, 'Are you there?');
    await api.post(`/api/v1/chats/${chatId}/read`, undefined, { token: cast.therapist.access });
    for (let i = 0; i < 5; i++) await sendText(api, chatId, cast.therapist, `note ${i}`);
    const page1 = await api.get(`/api/v1/chats/${chatId}/messages?limit=3`, { token: cast.patient.access });
    expect(page1.body.data.map((m: any) => m.text)).toEqual(['note 4', 'note 3', 'note 2']);
    expect(page1.body.cursor.has_more).toBe(true);
    const page2 = await api.get(`/api/v1/chats/${chatId}/messages?limit=3&before=${page1.body.cursor.before}`, { token: cast.patient.access });
    expect(page2.body.data.map((m: any) => m.text)).toEqual(['note 1', 'note 0', 'Are you there?']);
    const newer = await api.get(`/api/v1/chats/${chatId}/messages?limit=2&after=${page2.body.cursor.after}`, { token: cast.patient.access });
    expect(newer.body.data.map((m: any) => m.text)).toEqual(['note 3', 'note 2']);
    const mine = await api.get(`/api/v1/chats/${chatId}/messages?sender_id=${cast.patient.id}`, { token: cast.patient.access });
    expect(mine.body.data).toHaveLength(2);
    const unreadOnes = await api.get(`/api/v1/chats/${chatId}/messages?read_status=sent`, { token: cast.patient.access });
    expect(unreadOnes.body.data).toHaveLength(5);
    const bad = await api.get(`/api/v1/chats/${chatId}/messages?limit=500&colour=red`, { token: cast.patient.access });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['colour', 'limit']);
  });

  it('edits keep their history; deletes hide the text from both sides', async () => {
    const message = await sendText(api, chatId, cast.patient, 'I feel bad');
    const edited = await api.patch(`/api/v1/chats/${chatId}/messages/${message.id}`, { text: 'I feel a bit better' }, { token: cast.patient.access });
    expect(edited.body.data).toMatchObject({ text: 'I feel a bit better', edited: true, edited_at: expect.any(String) });
    const again = await api.patch(`/api/v1/chats/${chatId}/messages/${message.id}`, { text: 'I feel fine' }, { token: cast.patient.access });
    expect(again.status).toBe(200);
    const previewAfterEdit = await api.get(`/api/v1/chats/${chatId}`, { token: cast.therapist.access });
    expect(previewAfterEdit.body.data.last_message).toMatchObject({ text: 'I feel fine', sender_id: cast.patient.id });
    const edits = await api.get(`/api/v1/chats/${chatId}/messages/${message.id}/edits`, { token: cast.therapist.access });
    expect(edits.body.data.map((e: any) => e.previous_text)).toEqual(['I feel bad', 'I feel a bit better']);
    const notMine = await api.patch(`/api/v1/chats/${chatId}/messages/${message.id}`, { text: 'hacked' }, { token: cast.therapist.access });
    expect(notMine.status).toBe(403);
    expect(notMine.body.code).toBe('CHAT.NOT_SENDER');
    const removed = await api.delete(`/api/v1/chats/${chatId}/messages/${message.id}`, { token: cast.patient.access });
    expect(removed.body.data).toMatchObject({ deleted: true, text: null, deleted_by: cast.patient.id, deleted_at: expect.any(String) });
    const previewAfterDelete = await api.get(`/api/v1/chats/${chatId}`, { token: cast.therapist.access });
    expect(previewAfterDelete.body.data.last_message).toMatchObject({ text: null, sender_id: cast.patient.id });
    for (const user of [cast.patient, cast.therapist]) {
      const one = await api.get(`/api/v1/chats/${chatId}/messages/${message.id}`, { token: user.access });
      expect(one.body.data.text).toBeNull();
      const list = await api.get(`/api/v1/chats/${chatId}/messages`, { token: user.access });
      expect(list.body.data.find((m: any) => m.id === message.id)).toBeUndefined();
      const withDeleted = await api.get(`/api/v1/chats/${chatId}/messages?include_deleted=true`, { token: user.access });
      expect(withDeleted.body.data.find((m: any) => m.id === message.id)).toMatchObject({ deleted: true, text: null });
    }
    const history = await api.get(`/api/v1/chats/${chatId}/messages/${message.id}/edits`, { token: cast.patient.access });
    expect(history.body.data).toEqual([]);
  });

  it('previews a long last message shortened to 120 characters', async () => {
    const long = 'I have been thinking about what you said. '.repeat(10);
    await sendText(api, chatId, cast.therapist, long);
    const list = await api.get('/api/v1/chats', { token: cast.patient.access });
    const preview = list.body.data.find((c: any) => c.id === chatId).last_message;
    expect(preview.text).toHaveLength(120);
    expect(preview.text).toBe(`${long.slice(0, 119)}…`);
  });

  it('replies only within the same chat', async () => {
    const original = await sendText(api, chatId, cast.therapist, 'How was your week?');
    const reply = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'Better', reply_to: original.id }, { token: cast.patient.access });
    expect(reply.body.data.reply_to).toBe(original.id);
    const otherChat = await openChat(api, cast.admin, cast.patient);
    const foreign = await sendText(api, otherChat, cast.admin, 'Admin here');
    const wrong = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'x', reply_to: foreign.id }, { token: cast.patient.access });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'CHAT.REPLY_OTHER_CHAT', errors: { reply_to: expect.any(Array) } });
  });

  it('validates message bodies and types', async () => {
    const empty = await api.post(`/api/v1/chats/${chatId}/messages`, { text: '   ' }, { token: cast.patient.access });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('CHAT.EMPTY_MESSAGE');
    const long = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'x'.repeat(10_001) }, { token: cast.patient.access });
    expect(long.status).toBe(400);
    expect(long.body.errors.text).toBeDefined();
    const prescription = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'Take 2', message_type: 'prescription' }, { token: cast.patient.access });
    expect(prescription.status).toBe(403);
    expect(prescription.body.code).toBe('CHAT.TYPE_NOT_ALLOWED');
    const byTherapist = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'Sertraline 50mg', message_type: 'prescription' }, { token: cast.therapist.access });
    expect(byTherapist.status).toBe(201);
    const image = await api.post(`/api/v1/chats/${chatId}/messages`, { message_type: 'image' }, { token: cast.patient.access });
    expect(image.body.code).toBe('CHAT.ATTACHMENT_REQUIRED');
    const sneaky = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'x', sender_id: cast.therapist.id }, { token: cast.patient.access });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.errors.sender_id).toBeDefined();
  });

  it('returns the stored message again for a retried client_message_id', async () => {
    const body = { text: 'only once', client_message_id: 'device-1-msg-77' };
    const [a, b] = await Promise.all([
      api.post(`/api/v1/chats/${chatId}/messages`, body, { token: cast.patient.access }),
      api.post(`/api/v1/chats/${chatId}/messages`, body, { token: cast.patient.access }),
    ]);
    const c = await api.post(`/api/v1/chats/${chatId}/messages`, body, { token: cast.patient.access });
    const statuses = [a.status, b.status, c.status];
    expect(statuses.every((s) => s === 201)).toBe(true);
    expect(new Set([a.body.data.id, b.body.data.id, c.body.data.id]).size).toBe(1);
  });

  it('reactions: one of each emoji per user, removable', async () => {
    const message = await sendText(api, chatId, cast.therapist, 'Proud of you');
    const path = `/api/v1/chats/${chatId}/messages/${message.id}/reactions`;
    await api.post(path, { emoji: '❤️' }, { token: cast.patient.access });
    const twice = await api.post(path, { emoji: '❤️' }, { token: cast.patient.access });
    expect(twice.body.data.reactions).toEqual([{ emoji: '❤️', count: 1, user_ids: [cast.patient.id] }]);
    const notEmoji = await api.post(path, { emoji: 'hello' }, { token: cast.patient.access });
    expect(notEmoji.status).toBe(400);
    const removed = await api.delete(`${path}/${encodeURIComponent('❤️')}`, { token: cast.patient.access });
    expect(removed.body.data.reactions).toEqual([]);
  });

  it('emergency flag notifies the other side and staff, never with the text', async () => {
    const message = await sendText(api, chatId, cast.patient, 'I do not want to be here anymore');
    const flagged = await api.post(`/api/v1/chats/${chatId}/messages/${message.id}/emergency`, undefined, { token: cast.patient.access });
    expect(flagged.body.data.emergency).toBe(true);
    for (const user of [cast.therapist, cast.admin]) {
      const list = await api.get('/api/v1/notifications?notification_type=emergency', { token: user.access });
      expect(list.body.data.length).toBeGreaterThan(0);
      expect(list.body.data[0]).toMatchObject({ notification_type: 'emergency', related_id: chatId, read: false });
      expect(JSON.stringify(list.body.data)).not.toContain('do not want');
    }
    const filtered = await api.get(`/api/v1/chats/${chatId}/messages?emergency=true`, { token: cast.therapist.access });
    expect(filtered.body.data.map((m: any) => m.id)).toEqual([message.id]);
  });

  it('notifies new messages without their text, and supports polling and marking read', async () => {
    const secret = 'my secret diagnosis text';
    await sendText(api, chatId, cast.therapist, secret);
    const list = await api.get('/api/v1/notifications?unread=true&notification_type=message', { token: cast.patient.access });
    expect(list.status).toBe(200);
    const forChat = list.body.data.find((n: any) => n.related_id === chatId);
    expect(forChat).toMatchObject({ title: 'New message', read: false });
    expect(JSON.stringify(list.body.data)).not.toContain(secret);
    const count = await api.get('/api/v1/notifications/unread-count', { token: cast.patient.access });
    expect(count.body.data.count).toBeGreaterThan(0);
    const polled = await api.get(`/api/v1/notifications?last_id=${forChat.id}`, { token: cast.patient.access });
    expect(polled.body.data.find((n: any) => n.id === forChat.id)).toBeUndefined();
    const marked = await api.post(`/api/v1/notifications/${forChat.id}/read`, undefined, { token: cast.patient.access });
    expect(marked.body.data.read).toBe(true);
    const foreign = await api.post(`/api/v1/notifications/${forChat.id}/read`, undefined, { token: cast.therapist.access });
    expect(foreign.status).toBe(404);
    const all = await api.post('/api/v1/notifications/read-all', undefined, { token: cast.patient.access });
    expect(all.status).toBe(200);
    expect((await api.get('/api/v1/notifications/unread-count', { token: cast.patient.access })).body.data.count).toBe(0);
  });

  it('collapses unread messages of a chat into one notification that counts them, sent concurrently too', async () => {
    await api.post('/api/v1/notifications/read-all', undefined, { token: cast.patient.access });
    await sendText(api, chatId, cast.therapist, 'first');
    await Promise.all(['second', 'third', 'fourth'].map((text) => sendText(api, chatId, cast.therapist, text)));
    const list = await api.get('/api/v1/notifications?unread=true&notification_type=message', { token: cast.patient.access });
    const forChat = list.body.data.filter((n: any) => n.related_id === chatId);
    expect(forChat).toHaveLength(1);
    expect(forChat[0]).toMatchObject({ count: 4, title: 'New message' });
    expect(forChat[0].message).toMatch(/^You have 4 new messages from \S/);
    await api.post('/api/v1/notifications/read-all', undefined, { token: cast.patient.access });
    await sendText(api, chatId, cast.therapist, 'after reading');
    const fresh = (await api.get('/api/v1/notifications?unread=true&notification_type=message', { token: cast.patient.access })).body.data;
    expect(fresh.filter((n: any) => n.related_id === chatId)).toEqual([expect.objectContaining({ count: 1, message: expect.stringMatching(/^You have a new message from /) })]);
  });

  it('a muted chat creates no message notifications', async () => {
    await api.post(`/api/v1/chats/${chatId}/notifications`, { notifications_enabled: false }, { token: cast.patient.access });
    await api.post('/api/v1/notifications/read-all', undefined, { token: cast.patient.access });
    await sendText(api, chatId, cast.therapist, 'muted?');
    expect((await api.get('/api/v1/notifications/unread-count', { token: cast.patient.access })).body.data.count).toBe(0);
    await api.post(`/api/v1/chats/${chatId}/notifications`, { notifications_enabled: true }, { token: cast.patient.access });
  });

  it('a third user gets 404 on the chat, its messages, its room and its attachments', async () => {
    const message = await sendText(api, chatId, cast.patient, 'private');
    const token = cast.stranger.access;
    const paths = [
      `/api/v1/chats/${chatId}`,
      `/api/v1/chats/${chatId}/messages`,
      `/api/v1/chats/${chatId}/messages/${message.id}`,
      `/api/v1/chats/${chatId}/messages/${message.id}/edits`,
      `/api/v1/chats/${chatId}/messages/unread`,
      `/api/v1/chats/${chatId}/room`,
      `/api/v1/chats/${chatId}/attachments/00000000-0000-4000-8000-000000000000`,
    ];
    for (const path of paths) {
      const res = await api.get(path, { token });
      expect([path, res.status]).toEqual([path, 404]);
    }
    const writes = [
      api.post(`/api/v1/chats/${chatId}/messages`, { text: 'intrude' }, { token }),
      api.patch(`/api/v1/chats/${chatId}/messages/${message.id}`, { text: 'x' }, { token }),
      api.delete(`/api/v1/chats/${chatId}/messages/${message.id}`, { token }),
      api.post(`/api/v1/chats/${chatId}/read`, undefined, { token }),
      api.post(`/api/v1/chats/${chatId}/status`, { status: 'blocked' }, { token }),
      api.post(`/api/v1/chats/${chatId}/messages/${message.id}/reactions`, { emoji: '👍' }, { token }),
      api.post(`/api/v1/chats/${chatId}/messages/${message.id}/emergency`, undefined, { token }),
      api.post(`/api/v1/chats/${chatId}/room/archive`, undefined, { token }),
    ];
    for (const res of await Promise.all(writes)) expect(res.status).toBe(404);
    const list = await api.get('/api/v1/chats', { token });
    expect(list.body.data.find((c: any) => c.id === chatId)).toBeUndefined();
    const bad = await api.get('/api/v1/chats/not-a-uuid', { token });
    expect(bad.status).toBe(400);
  });

  it('room permissions: the therapist stops the patient sending; history can be hidden', async () => {
    const patientTries = await api.post(`/api/v1/chats/${chatId}/room/permissions`, { patient_can_send: true }, { token: cast.patient.access });
    expect(patientTries.status).toBe(403);
    expect(patientTries.body.code).toBe('CHAT.ROOM_MANAGE_FORBIDDEN');
    const set = await api.post(`/api/v1/chats/${chatId}/room/permissions`, { patient_can_send: false }, { token: cast.therapist.access });
    expect(set.body.data).toMatchObject({ patient_can_send: false, therapist_can_send: true });
    const refused = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'can I?' }, { token: cast.patient.access });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('CHAT.SEND_NOT_ALLOWED');
    expect((await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'I can' }, { token: cast.therapist.access })).status).toBe(201);
    await api.post(`/api/v1/chats/${chatId}/room/permissions`, { patient_can_send: true, patient_can_see_history: false }, { token: cast.therapist.access });
    const hidden = await api.get(`/api/v1/chats/${chatId}/messages`, { token: cast.patient.access });
    expect(hidden.status).toBe(403);
    expect(hidden.body.code).toBe('CHAT.HISTORY_HIDDEN');
    await api.post(`/api/v1/chats/${chatId}/room/permissions`, { patient_can_see_history: true }, { token: cast.therapist.access });
    const room = await api.patch(`/api/v1/chats/${chatId}/room`, { room_type: 'consultation', tags: ['weekly'], description: 'CBT' }, { token: cast.therapist.access });
    expect(room.body.data).toMatchObject({ room_type: 'consultation', tags: ['weekly'], description: 'CBT' });
    const archived = await api.post(`/api/v1/chats/${chatId}/room/archive`, undefined, { token: cast.therapist.access });
    expect(archived.body.data).toMatchObject({ is_archived: true, is_active: false });
    expect((await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'x' }, { token: cast.patient.access })).body.code).toBe('CHAT.NOT_ACTIVE');
    const active = await api.post(`/api/v1/chats/${chatId}/room/activate`, undefined, { token: cast.therapist.access });
    expect(active.body.data).toMatchObject({ is_archived: false, is_active: true });
  });

  it('one send rule: a refusal has the same code with or without a reply_to (checked before the send) and writes nothing', async () => {
    const anchor = await sendText(api, chatId, cast.therapist, 'anchor');
    const db = api.resolve(DataSource);
    const count = async (): Promise<number> => (await db.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [chatId]))[0].n;
    const attempt = async (token: string): Promise<Array<[number, string]>> => {
      const before = await count();
      const plain = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'plain' }, { token });
      const replying = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'reply', reply_to: anchor.id }, { token });
      expect(await count()).toBe(before);
      return [plain, replying].map((res) => [res.status, res.body.code]);
    };
    const states: Array<[string, () => Promise<unknown>, string, [number, string]]> = [
      ['room forbids the patient', () => db.query('UPDATE chat_rooms SET patient_can_send = false WHERE conversation_id = $1', [chatId]), cast.patient.access, [403, 'CHAT.SEND_NOT_ALLOWED']],
      ['room archived', () => db.query('UPDATE chat_rooms SET patient_can_send = true, is_archived = true WHERE conversation_id = $1', [chatId]), cast.patient.access, [409, 'CHAT.NOT_ACTIVE']],
      [
        'chat archived (room active again)',
        async () => {
          await db.query('UPDATE chat_rooms SET is_archived = false WHERE conversation_id = $1', [chatId]);
          await db.query(`UPDATE conversations SET status = 'archived' WHERE id = $1`, [chatId]);
        },
        cast.therapist.access,
        [409, 'CHAT.NOT_ACTIVE'],
      ],
      ['chat blocked', () => db.query(`UPDATE conversations SET status = 'blocked' WHERE id = $1`, [chatId]), cast.therapist.access, [403, 'CHAT.BLOCKED']],
      ['a stranger', async () => undefined, cast.stranger.access, [404, 'CHAT.NOT_FOUND']],
      ['staff on a direct chat they are not in', async () => undefined, cast.admin.access, [404, 'CHAT.NOT_FOUND']],
    ];
    for (const [state, arrange, token, expected] of states) {
      await arrange();
      expect([state, await attempt(token)]).toEqual([state, [expected, expected]]);
    }
  });

  it('either side can block; a blocked chat refuses messages; only the blocker unblocks', async () => {
    const blocked = await api.post(`/api/v1/chats/${chatId}/status`, { status: 'blocked' }, { token: cast.patient.access });
    expect(blocked.body.data).toMatchObject({ status: 'blocked', blocked_by: cast.patient.id });
    for (const user of [cast.patient, cast.therapist]) {
      const res = await api.post(`/api/v1/chats/${chatId}/messages`, { text: 'hello?' }, { token: user.access });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('CHAT.BLOCKED');
    }
    const therapistUnblock = await api.post(`/api/v1/chats/${chatId}/status`, { status: 'active' }, { token: cast.therapist.access });
    expect(therapistUnblock.status).toBe(403);
    const unblock = await api.post(`/api/v1/chats/${chatId}/status`, { status: 'active' }, { token: cast.patient.access });
    expect(unblock.body.data).toMatchObject({ status: 'active', blocked_by: null });
    const badStatus = await api.post(`/api/v1/chats/${chatId}/status`, { status: 'exploded' }, { token: cast.patient.access });
    expect(badStatus.status).toBe(400);
  });

  it('stores message text encrypted: the raw row does not contain it', async () => {
    const text = 'plaintext-canary-4711 about my trauma';
    const message = await sendText(api, chatId, cast.patient, text);
    await api.patch(`/api/v1/chats/${chatId}/messages/${message.id}`, { text: 'edited canary-4712' }, { token: cast.patient.access });
    const db = api.resolve(DataSource);
    const [row] = await db.query('SELECT * FROM messages WHERE id = $1', [message.id]);
    expect(JSON.stringify(row)).not.toContain('canary-4712');
    expect(row.body).toMatch(/^[^ ]+\.[^ ]+\.[^ ]+\.[^ ]+$/);
    const edits = await db.query('SELECT * FROM message_edits WHERE message_id = $1', [message.id]);
    expect(JSON.stringify(edits)).not.toContain('canary-4711');
    const [conversation] = await db.query('SELECT * FROM conversations WHERE id = $1', [chatId]);
    expect(JSON.stringify(conversation)).not.toContain('canary');
    const notifications = await db.query('SELECT * FROM notifications');
    expect(JSON.stringify(notifications)).not.toContain('canary');
  });
});
