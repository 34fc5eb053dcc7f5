import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Role } from 'src/common/access/permissions';
import { AppConfig } from 'src/config/app-config';
import { DataSource } from 'typeorm';
import type { Socket } from 'socket.io-client';
import { chatCast, ChatCast, openChat, sendText } from './support/chat';
import { connectSocket, emitAck, nextEvent } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser, TestUser } from './support/users';

describe('support groups', () => {
  let api: TestApp;
  let cast: ChatCast;
  let member: TestUser;
  let groupId: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApp();
  });
  // Each test owns its people and a fresh group (moderated by the therapist, no other members yet).
  beforeEach(async () => {
    cast = await chatCast(api);
    member = await registerUser(api);
    const created = await api.post('/api/v1/groups', { name: 'Anxiety Support', description: 'Weekly', category: 'anxiety' }, { token: cast.therapist.access });
    groupId = created.body.data.id;
  });
  const joinBoth = async (): Promise<void> => {
    for (const user of [cast.patient, member]) expect((await api.post(`/api/v1/groups/${groupId}/join`, undefined, { token: user.access })).status).toBe(200);
  };
  afterAll(async () => {
    for (const s of sockets) s.close();
    await api?.close();
  });

  it('therapists create groups and become moderators; clients may not create', async () => {
    const refused = await api.post('/api/v1/groups', { name: 'Mine' }, { token: cast.patient.access });
    expect(refused.status).toBe(403);
    const created = await api.post('/api/v1/groups', { name: 'Anxiety Support', description: 'Weekly', category: 'anxiety' }, { token: cast.therapist.access });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ name: 'Anxiety Support', category: 'anxiety', member_count: 1, is_member: true, is_moderator: true });
    const invalid = await api.post('/api/v1/groups', { name: 'x', member_count: 99 }, { token: cast.therapist.access });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.errors).sort()).toEqual(['member_count', 'name']);
  });

  it('lists groups with member counts; join and leave move the count', async () => {
    const list = await api.get('/api/v1/groups?category=anxiety', { token: cast.patient.access });
    expect(list.body.data.find((g: any) => g.id === groupId)).toMatchObject({ member_count: 1, is_member: false });
    const joined = await api.post(`/api/v1/groups/${groupId}/join`, undefined, { token: cast.patient.access });
    expect(joined.body.data).toMatchObject({ member_count: 2, is_member: true, is_moderator: false });
    expect((await api.post(`/api/v1/groups/${groupId}/join`, undefined, { token: cast.patient.access })).body.code).toBe('GROUPS.ALREADY_MEMBER');
    await api.post(`/api/v1/groups/${groupId}/join`, undefined, { token: member.access });
    const left = await api.post(`/api/v1/groups/${groupId}/leave`, undefined, { token: member.access });
    expect(left.body.data).toMatchObject({ member_count: 2, is_member: false });
    const rejoined = await api.post(`/api/v1/groups/${groupId}/join`, undefined, { token: member.access });
    expect(rejoined.body.data.member_count).toBe(3);
    const members = await api.get(`/api/v1/groups/${groupId}/members`, { token: member.access });
    expect(members.body.pagination.count).toBe(3);
    expect(members.body.data.find((m: any) => m.id === cast.therapist.id).group_role).toBe('moderator');
    expect((await api.get('/api/v1/groups/00000000-0000-4000-8000-000000000000', { token: member.access })).status).toBe(404);
  });

  it('concurrent joins keep the member count exact', async () => {
    const people = await Promise.all(Array.from({ length: 8 }, () => registerUser(api)));
    const results = await Promise.all(people.flatMap((p) => [0, 1].map(() => api.post(`/api/v1/groups/${groupId}/join`, undefined, { token: p.access }))));
    expect(results.filter((r) => r.status === 200)).toHaveLength(8);
    expect(results.filter((r) => r.status === 409)).toHaveLength(8);
    const group = await api.get(`/api/v1/groups/${groupId}`, { token: member.access });
    expect(group.body.data.member_count).toBe(9);
  });

  it('group messages use the chat endpoints and reach members live', async () => {
    await joinBoth();
    const memberSocket = await connectSocket(api.url, member.access);
    sockets.push(memberSocket);
    const received = nextEvent(memberSocket, 'message', (m: any) => m.chat_id === groupId);
    const sent = await sendText(api, groupId, cast.patient, 'Hello everyone, thanks for the support');
    expect(await received).toMatchObject({ id: sent.id, text: 'Hello everyone, thanks for the support' });
    const outsider = await registerUser(api);
    expect((await api.get(`/api/v1/chats/${groupId}/messages`, { token: outsider.access })).status).toBe(404);
    const outsiderSocket = await connectSocket(api.url, outsider.access);
    sockets.push(outsiderSocket);
    expect((await emitAck(outsiderSocket, 'join', { chat_id: groupId })).ok).toBe(false);
    const mine = await api.get(`/api/v1/chats/${groupId}`, { token: member.access });
    expect(mine.body.data).toMatchObject({ kind: 'group', name: 'Anxiety Support', unread_count: 1 });
  });

  it('moderators remove messages and members; members may not', async () => {
    await joinBoth();
    const message = await sendText(api, groupId, member, 'something hurtful');
    const byPeer = await api.delete(`/api/v1/chats/${groupId}/messages/${message.id}`, { token: cast.patient.access });
    expect(byPeer.status).toBe(403);
    const byModerator = await api.delete(`/api/v1/chats/${groupId}/messages/${message.id}`, { token: cast.therapist.access });
    expect(byModerator.body.data).toMatchObject({ deleted: true, text: null, deleted_by: cast.therapist.id });
    const kickByPeer = await api.delete(`/api/v1/groups/${groupId}/members/${member.id}`, { token: cast.patient.access });
    expect(kickByPeer.status).toBe(403);
    const kicked = await api.delete(`/api/v1/groups/${groupId}/members/${member.id}`, { token: cast.therapist.access });
    expect(kicked.status).toBe(200);
    expect((await api.post(`/api/v1/chats/${groupId}/messages`, { text: 'still here?' }, { token: member.access })).status).toBe(404);
  });
});

describe('attachments', () => {
  let api: TestApp;
  let cast: ChatCast;
  let chatId: string;
  // The smallest valid PNG (1×1 pixel).
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

  const upload = (token: string, chat: string, content: Buffer, filename: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)]), filename);
    return fetch(`${api.url}/api/v1/chats/${chat}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  };

  beforeAll(async () => {
    api = await startTestApp({ env: { ATTACHMENT_MAX_BYTES: '4096' } });
    cast = await chatCast(api);
    chatId = await openChat(api, cast.patient, cast.therapist);
  });
  afterAll(() => api?.close());

  it('uploads an image, sends it as a message, and serves it only to participants', async () => {
    const res = await upload(cast.patient.access, chatId, png, 'photo.png');
    expect(res.status).toBe(201);
    const attachment = ((await res.json()) as any).data;
    expect(attachment).toMatchObject({ name: 'photo.png', size: png.length, mime_type: 'image/png' });
    const sent = await api.post(`/api/v1/chats/${chatId}/messages`, { message_type: 'image', attachment_id: attachment.id }, { token: cast.patient.access });
    expect(sent.status).toBe(201);
    expect(sent.body.data).toMatchObject({ message_type: 'image', attachment_name: 'photo.png', attachment_size: png.length, attachment_url: attachment.url });
    const download = await fetch(`${api.url}${attachment.url}`, { headers: { authorization: `Bearer ${cast.therapist.access}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);
    const stranger = await fetch(`${api.url}${attachment.url}`, { headers: { authorization: `Bearer ${cast.stranger.access}` } });
    expect(stranger.status).toBe(404);
    const strangerUpload = await upload(cast.stranger.access, chatId, png, 'x.png');
    expect(strangerUpload.status).toBe(404);
    const theirs = await api.post(`/api/v1/chats/${chatId}/messages`, { message_type: 'image', attachment_id: attachment.id }, { token: cast.therapist.access });
    expect(theirs.body.code).toBe('CHAT.ATTACHMENT_NOT_FOUND');
  });

  it('refuses types it does not accept (sniffed, not declared) with 415, and oversized files with 413', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const res = await upload(cast.patient.access, chatId, exe, 'holiday.png');
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).code).toBe('CHAT.ATTACHMENT_TYPE');
    const big = await upload(cast.patient.access, chatId, Buffer.concat([png, Buffer.alloc(5000)]), 'big.png');
    expect(big.status).toBe(413);
    const json = await api.post(`/api/v1/chats/${chatId}/attachments`, { file: 'x' }, { token: cast.patient.access });
    expect(json.status).toBe(415);
  });

  it('accepts plain-text documents', async () => {
    const res = await upload(cast.therapist.access, chatId, Buffer.from('Breathing exercise:\n4-7-8\n'), 'exercise.txt');
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).data.mime_type).toBe('text/plain');
    void Role;
  });

  it('stores files encrypted: the file on disk does not contain the content, the download does', async () => {
    const text = 'Journal: plaintext-canary-5521, the night of the accident.\n';
    const res = await upload(cast.patient.access, chatId, Buffer.from(text), 'journal.txt');
    const attachment = ((await res.json()) as any).data;
    const [row] = await api.resolve(DataSource).query('SELECT storage_key, encrypted FROM attachments WHERE id = $1', [attachment.id]);
    expect(row.encrypted).toBe(true);
    const onDisk = await readFile(join(api.resolve(AppConfig).chat.uploadsDir, row.storage_key));
    expect(onDisk.toString('latin1')).not.toContain('canary');
    expect(onDisk.length).toBeGreaterThan(text.length);
    const download = await fetch(`${api.url}${attachment.url}`, { headers: { authorization: `Bearer ${cast.therapist.access}` } });
    expect(download.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(await download.text()).toBe(text);
    // A file from before encryption at rest (encrypted = false) is served as it is.
    await writeFile(join(api.resolve(AppConfig).chat.uploadsDir, `${row.storage_key}-legacy`), 'an old plain file');
    await api.resolve(DataSource).query("UPDATE attachments SET storage_key = storage_key || '-legacy', encrypted = false WHERE id = $1", [attachment.id]);
    const legacy = await fetch(`${api.url}${attachment.url}`, { headers: { authorization: `Bearer ${cast.patient.access}` } });
    expect(await legacy.text()).toBe('an old plain file');
  });
});
