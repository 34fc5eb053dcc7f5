import { Role } from 'src/common/access/permissions';
import { TicketsPrivacyService } from 'src/modules/tickets/tickets-privacy.service';
import type { Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { sendText, verifiedProvider } from './support/chat';
import { ReceivedMail, SmtpSink } from './support/smtp-sink';
import { connectSocket, nextEvent } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { openTicket, supportChatOf, uploadTo } from './support/tickets';
import { createUserWithRole, registerUser, TestUser } from './support/users';
import { waitFor } from './support/wait';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('support tickets', () => {
  const smtp = new SmtpSink();
  let api: TestApp;
  let admin: TestUser;
  let manager: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const url = await smtp.start();
    api = await startTestApp({ env: { SMTP_URL: url, MAIL_FROM: 'support@haven.test', DATABASE_POOL_SIZE: '20' } });
    admin = await createUserWithRole(api, Role.Admin);
    manager = await createUserWithRole(api, Role.Manager);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await api?.close();
    await smtp.stop();
  });

  const db = (): DataSource => api.resolve(DataSource);
  const socketOf = async (user: TestUser): Promise<Socket> => {
    const socket = await connectSocket(api.url, user.access);
    sockets.push(socket);
    return socket;
  };
  const ticketNotes = async (user: TestUser, ticketId: string): Promise<any[]> => {
    const res = await api.get('/api/v1/notifications?notification_type=ticket&page_size=100', { token: user.access });
    expect(res.status).toBe(200);
    return res.body.data.filter((n: any) => n.related_id === ticketId);
  };
  const mailFor = (email: string): ReceivedMail[] => smtp.received.filter((m) => m.to.includes(email));
  const staffList = async (query: string, token = manager.access): Promise<any[]> => {
    const res = await api.get(`/api/v1/admin/tickets?page_size=100&${query}`, { token });
    expect([res.status, query]).toEqual([200, query]);
    return res.body.data;
  };
  const ids = (rows: any[]): string[] => rows.map((r) => r.id);
  const audited = async (ticketId: string): Promise<string[]> =>
    (await db().query<Array<{ action: string }>>("SELECT action FROM audit_log WHERE target_type = 'ticket' AND target_id = $1 ORDER BY occurred_at, id", [ticketId])).map((r) => r.action);
  const count = async (sql: string, params: unknown[]): Promise<number> => (await db().query<Array<{ n: number }>>(sql, params))[0].n;

  it('end to end: opened from the support chat, triaged with filters, assigned, noted, answered (notified in-app, on the socket, by email), resolved, closed', async () => {
    const suffix = Date.now().toString(36);
    const client = await registerUser(api, { first_name: 'Nora', last_name: `Quill${suffix}` });
    const chatId = await supportChatOf(api, client);
    const chatMessage = await sendText(api, chatId, client, 'The mood screen will not save.');
    const [managerSocket, adminSocket] = await Promise.all([socketOf(manager), socketOf(admin)]);
    const managerHears = nextEvent(managerSocket, 'notification', (n) => n.notification_type === 'ticket' && n.title === 'New support ticket');
    const adminHears = nextEvent(adminSocket, 'notification', (n) => n.notification_type === 'ticket' && n.title === 'New support ticket');

    const opened = await api.post(
      '/api/v1/tickets',
      { subject: 'Mood log will not save', body: 'Pressing save on my mood entry shows a spinner forever.', category: 'technical', priority: 'high', support_chat_message_id: chatMessage.id },
      { token: client.access },
    );
    expect(opened.status).toBe(201);
    const ticket = opened.body.data;
    expect(ticket).toMatchObject({
      subject: 'Mood log will not save',
      body: 'Pressing save on my mood entry shows a spinner forever.',
      category: 'technical',
      priority: 'high',
      status: 'open',
      requester: { id: client.id, first_name: 'Nora' },
      assignee: null,
      support_chat_id: chatId,
      support_chat_message_id: chatMessage.id,
      first_response_at: null,
      resolved_at: null,
      closed_at: null,
      replies: [],
    });
    expect(ticket.number).toEqual(expect.any(Number));
    expect(ticket).not.toHaveProperty('notes');
    // Unassigned: every active staff member hears of it; the text names who and the number, never the content.
    const [heard] = await Promise.all([managerHears, adminHears]);
    expect(heard).toMatchObject({ related_id: ticket.id, message: `Nora Quill${suffix} opened support ticket #${ticket.number}.` });
    const [stored] = await db().query('SELECT subject_encrypted, body_encrypted FROM tickets WHERE id = $1', [ticket.id]);
    expect(stored.subject_encrypted).not.toContain('Mood log');
    expect(stored.body_encrypted).not.toContain('spinner');

    const other = await openTicket(api, client, { subject: 'Refund question', body: 'I was charged twice.', category: 'billing', priority: 'low' });
    expect(other.support_chat_id).toBe(chatId);
    const mine = `search=${encodeURIComponent(client.email)}`;

    // The dashboard: search by the requester's email, name, the ticket number and id; each filter; ordering.
    expect(ids(await staffList(mine)).sort()).toEqual([ticket.id, other.id].sort());
    expect(ids(await staffList(`search=${encodeURIComponent(`nora quill${suffix}`)}`)).sort()).toEqual([ticket.id, other.id].sort());
    expect(ids(await staffList(`search=${encodeURIComponent(`#${ticket.number}`)}`))).toEqual([ticket.id]);
    expect(ids(await staffList(`search=${ticket.number}`))).toEqual([ticket.id]);
    expect(ids(await staffList(`search=${ticket.id}`))).toEqual([ticket.id]);
    expect(ids(await staffList(`${mine}&priority=high`))).toEqual([ticket.id]);
    expect(ids(await staffList(`${mine}&priority=low`))).toEqual([other.id]);
    expect(ids(await staffList(`${mine}&category=billing`))).toEqual([other.id]);
    expect(ids(await staffList(`${mine}&category=account`))).toEqual([]);
    expect(ids(await staffList(`${mine}&ordering=-priority`))).toEqual([ticket.id, other.id]);
    expect(ids(await staffList(`${mine}&ordering=priority`))).toEqual([other.id, ticket.id]);
    expect(ids(await staffList(`${mine}&ordering=number`))).toEqual([ticket.id, other.id]);
    expect(ids(await staffList(`${mine}&date_after=${encodeURIComponent(other.created_at)}`))).toEqual([other.id]);
    expect(ids(await staffList(`${mine}&date_before=${encodeURIComponent(other.created_at)}`))).toEqual([ticket.id]);
    expect(ids(await staffList(`${mine}&date_after=2999-01-01T00:00:00Z`))).toEqual([]);
    const firstPage = await api.get(`/api/v1/admin/tickets?${mine}&page_size=1&ordering=number`, { token: admin.access });
    expect(firstPage.body.pagination).toMatchObject({ count: 2, page: 1, page_size: 1, total_pages: 2 });
    expect(ids(firstPage.body.data)).toEqual([ticket.id]);

    // Assign to the manager (audited, the manager notified).
    const assigned = await api.put(`/api/v1/admin/tickets/${ticket.id}/assignee`, { assignee_id: manager.id }, { token: admin.access });
    expect(assigned.status).toBe(200);
    expect(assigned.body.data.assignee).toMatchObject({ id: manager.id });
    expect((await ticketNotes(manager, ticket.id)).map((n) => n.title)).toContain('Support ticket assigned to you');
    expect(ids(await staffList(`${mine}&assignee_id=${manager.id}`))).toEqual([ticket.id]);
    expect(ids(await staffList(`${mine}&assignee_id=${admin.id}`))).toEqual([]);
    expect(ids(await staffList(`${mine}&unassigned=true`))).toEqual([other.id]);
    expect(ids(await staffList(`${mine}&unassigned=false`))).toEqual([ticket.id]);

    // An internal note: staff see it, the requester never does.
    const NOTE = 'Known bug in build 4.2; the user is on an old phone.';
    const noted = await api.post(`/api/v1/admin/tickets/${ticket.id}/notes`, { body: NOTE }, { token: admin.access });
    expect(noted.status).toBe(201);
    expect(noted.body.data.notes).toEqual([expect.objectContaining({ body: NOTE, author: expect.objectContaining({ id: admin.id }) })]);
    const [storedNote] = await db().query('SELECT body_encrypted FROM ticket_notes WHERE ticket_id = $1', [ticket.id]);
    expect(storedNote.body_encrypted).not.toContain('Known bug');

    // The manager replies with a file from the support chat's attachment store.
    const attachmentId = await uploadTo(api, manager, chatId, 'Steps: update the app, then retry.\n', 'steps.txt');
    const clientSocket = await socketOf(client);
    const pushed = nextEvent(clientSocket, 'notification', (n) => n.related_id === ticket.id && n.title === 'New reply to your support ticket');
    const REPLY = 'Thanks Nora, please update the app and try again.';
    const replied = await api.post(`/api/v1/admin/tickets/${ticket.id}/replies`, { body: REPLY, attachment_ids: [attachmentId] }, { token: manager.access });
    expect(replied.status).toBe(201);
    const answered = replied.body.data;
    expect(answered.status).toBe('pending_on_user');
    expect(answered.first_response_at).toEqual(answered.replies[0].created_at);
    expect(answered.replies).toEqual([
      expect.objectContaining({ from_staff: true, body: REPLY, author: expect.objectContaining({ id: manager.id }), attachments: [expect.objectContaining({ id: attachmentId, name: 'steps.txt' })] }),
    ]);
    const notification = await pushed;
    expect(notification.message).toBe(`The support team replied to your ticket #${ticket.number}. Open it to read the reply.`);
    expect((await ticketNotes(client, ticket.id)).map((n) => n.title)).toEqual(['New reply to your support ticket']);
    await waitFor(async () => mailFor(client.email).length > 0, 'the reply email');
    const [mail] = mailFor(client.email);
    expect(mail.subject).toBe(`New reply to your support ticket #${ticket.number}`);
    expect(mail.raw).toContain(`/api/v1/tickets/${ticket.id}`);
    expect(mail.raw).not.toContain('update the app');
    // The requester downloads the attachment through the chat's authorised route.
    const file = await fetch(`${api.url}${answered.replies[0].attachments[0].url}`, { headers: { authorization: `Bearer ${client.access}` } });
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('Steps: update the app, then retry.\n');

    // The requester's views: the public thread, no internal notes anywhere.
    const view = await api.get(`/api/v1/tickets/${ticket.id}`, { token: client.access });
    expect(view.status).toBe(200);
    expect(view.body.data).not.toHaveProperty('notes');
    expect(view.body.data.replies.map((r: any) => r.body)).toEqual([REPLY]);
    const list = await api.get('/api/v1/tickets?page_size=100', { token: client.access });
    expect(ids(list.body.data).sort()).toEqual([ticket.id, other.id].sort());
    expect(ids((await api.get('/api/v1/tickets?status=pending_on_user', { token: client.access })).body.data)).toEqual([ticket.id]);
    expect(ids((await api.get(`/api/v1/tickets?search=%23${other.number}`, { token: client.access })).body.data)).toEqual([other.id]);
    const everything = JSON.stringify([view.body, list.body, (await api.get('/api/v1/notifications?page_size=100', { token: client.access })).body]);
    expect(everything).not.toContain('Known bug');
    expect(everything).not.toContain('old phone');

    // The requester answers: back to open; only the assignee hears of it; first_response_at stays.
    const userReply = await api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: 'Updated, it works now. Thank you!' }, { token: client.access });
    expect(userReply.status).toBe(201);
    expect(userReply.body.data).toMatchObject({ status: 'open', first_response_at: answered.first_response_at });
    expect(userReply.body.data.replies.map((r: any) => r.from_staff)).toEqual([true, false]);
    expect((await ticketNotes(manager, ticket.id)).map((n) => n.title)).toContain('Reply on a support ticket');
    expect((await ticketNotes(admin, ticket.id)).map((n) => n.title)).not.toContain('Reply on a support ticket');

    // Resolve (resolved_at), reopen (cleared), close (closed_at), reply refused, reopen, close by the user.
    const resolved = await api.patch(`/api/v1/admin/tickets/${ticket.id}`, { status: 'resolved', priority: 'normal' }, { token: manager.access });
    expect(resolved.status).toBe(200);
    expect(resolved.body.data).toMatchObject({ status: 'resolved', priority: 'normal', closed_at: null });
    expect(resolved.body.data.resolved_at).toEqual(expect.any(String));
    expect((await ticketNotes(client, ticket.id)).map((n) => n.title)).toContain('Support ticket resolved');
    const reopened = await api.post(`/api/v1/tickets/${ticket.id}/reopen`, {}, { token: client.access });
    expect(reopened.body.data).toMatchObject({ status: 'open', resolved_at: null, closed_at: null });
    expect((await api.post(`/api/v1/tickets/${ticket.id}/reopen`, {}, { token: client.access })).body.code).toBe('TICKETS.NOT_REOPENABLE');
    const closed = await api.patch(`/api/v1/admin/tickets/${ticket.id}`, { status: 'closed' }, { token: admin.access });
    expect(closed.body.data).toMatchObject({ status: 'closed' });
    expect(closed.body.data.closed_at).toEqual(expect.any(String));
    const refused = await api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: 'One more thing' }, { token: client.access });
    expect([refused.status, refused.body.code]).toEqual([409, 'TICKETS.CLOSED']);
    expect((await api.post(`/api/v1/admin/tickets/${ticket.id}/replies`, { body: 'x' }, { token: admin.access })).body.code).toBe('TICKETS.CLOSED');
    expect((await api.post(`/api/v1/tickets/${ticket.id}/reopen`, {}, { token: client.access })).body.data).toMatchObject({ status: 'open', closed_at: null });
    const closedByUser = await api.post(`/api/v1/tickets/${ticket.id}/close`, {}, { token: client.access });
    expect(closedByUser.status).toBe(200);
    expect(closedByUser.body.data.status).toBe('closed');
    expect(closedByUser.body.data.first_response_at).toBe(answered.first_response_at);

    // Staff see the whole story, and every staff action is in the audit log.
    const staffView = await api.get(`/api/v1/admin/tickets/${ticket.id}`, { token: manager.access });
    expect(staffView.body.data.notes.map((n: any) => n.body)).toEqual([NOTE]);
    expect(staffView.body.data.replies).toHaveLength(2);
    // (Status and priority changed in one request share a timestamp: compared as a set of entries.)
    expect((await audited(ticket.id)).sort()).toEqual(['ticket.assigned', 'ticket.note_added', 'ticket.priority_changed', 'ticket.status_changed', 'ticket.status_changed']);
    const unassigned = await api.put(`/api/v1/admin/tickets/${ticket.id}/assignee`, { assignee_id: null }, { token: admin.access });
    expect(unassigned.body.data.assignee).toBeNull();
    expect((await audited(ticket.id)).at(-1)).toBe('ticket.unassigned');

    // The dashboard's counts: every status, one query.
    const counts = await api.get('/api/v1/admin/tickets/counts', { token: manager.access });
    expect(counts.status).toBe(200);
    const expected = await db().query('SELECT status, count(*)::int AS n FROM tickets GROUP BY status');
    expect(counts.body.data).toEqual({
      open: 0,
      pending_on_user: 0,
      resolved: 0,
      closed: 0,
      ...Object.fromEntries(expected.map((r: any) => [r.status, r.n])),
    });
  });

  it('bad input answers 4xx naming the field, and writes nothing', async () => {
    const client = await registerUser(api);
    const stranger = await registerUser(api);
    const strangerChat = await supportChatOf(api, stranger);
    const strangerMessage = await sendText(api, strangerChat, stranger, 'hello support');
    const valid = { subject: 'Help', body: 'Something broke.', category: 'technical' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...valid, subject: undefined }, 'subject'],
      [{ ...valid, subject: '   ' }, 'subject'],
      [{ ...valid, subject: 'x'.repeat(201) }, 'subject'],
      [{ ...valid, subject: 42 }, 'subject'],
      [{ ...valid, body: undefined }, 'body'],
      [{ ...valid, body: '' }, 'body'],
      [{ ...valid, body: 'x'.repeat(10_001) }, 'body'],
      [{ ...valid, category: 'complaints' }, 'category'],
      [{ ...valid, category: undefined }, 'category'],
      [{ ...valid, priority: 'critical' }, 'priority'],
      [{ ...valid, priority: null }, 'priority'],
      [{ ...valid, support_chat_message_id: 'not-a-uuid' }, 'support_chat_message_id'],
      [{ ...valid, status: 'closed' }, 'status'],
      [{ ...valid, requester_id: stranger.id }, 'requester_id'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post('/api/v1/tickets', body, { token: client.access });
      expect([field, res.status, Object.keys(res.body.errors ?? {})]).toEqual([field, 400, expect.arrayContaining([field])]);
    }
    // A message of someone else's support chat (or none at all): 404, nothing written.
    for (const messageId of [strangerMessage.id, MISSING]) {
      const res = await api.post('/api/v1/tickets', { ...valid, support_chat_message_id: messageId }, { token: client.access });
      expect([res.status, res.body.code]).toEqual([404, 'TICKETS.CHAT_MESSAGE_NOT_FOUND']);
    }
    expect(await count('SELECT count(*)::int AS n FROM tickets WHERE requester_id = $1', [client.id])).toBe(0);

    // Replies: each field; someone else's attachment (or one of another chat) is a 404; nothing written.
    const ticket = await openTicket(api, client);
    const strangerFile = await uploadTo(api, stranger, strangerChat);
    const staffFile = await uploadTo(api, manager, ticket.support_chat_id);
    const replyCases: Array<[Record<string, unknown>, string]> = [
      [{}, 'body'],
      [{ body: ' ' }, 'body'],
      [{ body: 'x'.repeat(10_001) }, 'body'],
      [{ body: 'ok', attachment_ids: 'abc' }, 'attachment_ids'],
      [{ body: 'ok', attachment_ids: ['nope'] }, 'attachment_ids'],
      [{ body: 'ok', attachment_ids: Array.from({ length: 11 }, () => MISSING) }, 'attachment_ids'],
      [{ body: 'ok', from_staff: true }, 'from_staff'],
    ];
    for (const [body, field] of replyCases) {
      const res = await api.post(`/api/v1/tickets/${ticket.id}/replies`, body, { token: client.access });
      expect([field, res.status, Object.keys(res.body.errors ?? {})]).toEqual([field, 400, expect.arrayContaining([field])]);
    }
    for (const attachmentId of [strangerFile, staffFile, MISSING]) {
      const res = await api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: 'see file', attachment_ids: [attachmentId] }, { token: client.access });
      expect([res.status, res.body.code, Object.keys(res.body.errors)]).toEqual([404, 'TICKETS.ATTACHMENT_NOT_FOUND', ['attachment_ids']]);
    }
    expect(await count('SELECT count(*)::int AS n FROM ticket_replies WHERE ticket_id = $1', [ticket.id])).toBe(0);

    // Staff: assignee must be an active manager or admin; an update needs a field; list filters are checked.
    for (const assignee of [client.id, MISSING, 'nope', 7]) {
      const res = await api.put(`/api/v1/admin/tickets/${ticket.id}/assignee`, { assignee_id: assignee }, { token: manager.access });
      expect([String(assignee), res.status, Object.keys(res.body.errors ?? {})]).toEqual([String(assignee), 400, ['assignee_id']]);
    }
    expect((await api.put(`/api/v1/admin/tickets/${ticket.id}/assignee`, {}, { token: manager.access })).status).toBe(400);
    const updateCases: Array<[Record<string, unknown>, string]> = [
      [{}, 'non_field_errors'],
      [{ status: 'done' }, 'status'],
      [{ priority: 'urgentest' }, 'priority'],
      [{ category: 'x' }, 'category'],
      [{ status: null }, 'status'],
      [{ first_response_at: new Date().toISOString() }, 'first_response_at'],
    ];
    for (const [body, field] of updateCases) {
      const res = await api.patch(`/api/v1/admin/tickets/${ticket.id}`, body, { token: manager.access });
      expect([field, res.status, Object.keys(res.body.errors ?? {})]).toEqual([field, 400, expect.arrayContaining([field])]);
    }
    for (const [note, field] of [[{}, 'body'], [{ body: 'x'.repeat(4001) }, 'body']] as const) {
      const res = await api.post(`/api/v1/admin/tickets/${ticket.id}/notes`, note, { token: manager.access });
      expect([res.status, Object.keys(res.body.errors ?? {})]).toEqual([400, [field]]);
    }
    const [after] = await db().query('SELECT status, priority_rank, category, assignee_id, updated_at FROM tickets WHERE id = $1', [ticket.id]);
    expect(after).toMatchObject({ status: 'open', priority_rank: 2, category: 'technical', assignee_id: null });
    expect(after.updated_at.toISOString()).toBe(ticket.updated_at);
    expect(await count('SELECT count(*)::int AS n FROM ticket_notes WHERE ticket_id = $1', [ticket.id])).toBe(0);
    for (const [query, field] of [
      ['status=lost', 'status'],
      ['priority=max', 'priority'],
      ['category=x', 'category'],
      ['assignee_id=me', 'assignee_id'],
      ['unassigned=maybe', 'unassigned'],
      [`unassigned=true&assignee_id=${manager.id}`, 'unassigned'],
      ['ordering=subject', 'ordering'],
      ['date_after=yesterday', 'date_after'],
      ['page_size=101', 'page_size'],
    ]) {
      const res = await api.get(`/api/v1/admin/tickets?${query}`, { token: manager.access });
      expect([query, res.status, Object.keys(res.body.errors ?? {})]).toEqual([query, 400, expect.arrayContaining([field])]);
    }
    for (const [query, field] of [['status=lost', 'status'], ['ordering=priority', 'ordering']]) {
      const res = await api.get(`/api/v1/tickets?${query}`, { token: client.access });
      expect([query, res.status, Object.keys(res.body.errors ?? {})]).toEqual([query, 400, [field]]);
    }
  });

  it('another user’s ticket (or one that does not exist) is a 404 on every id route; a malformed id a 400', async () => {
    const owner = await registerUser(api);
    const intruder = await registerUser(api);
    const ticket = await openTicket(api, owner);
    const userRoutes: Array<[string, string, unknown]> = [
      ['GET', '', undefined],
      ['POST', '/replies', { body: 'let me in' }],
      ['POST', '/close', {}],
      ['POST', '/reopen', {}],
    ];
    for (const [method, suffix, body] of userRoutes) {
      for (const id of [ticket.id, MISSING]) {
        const res = await api.request(method, `/api/v1/tickets/${id}${suffix}`, { body, token: intruder.access });
        expect([method, suffix, res.status, res.body.code]).toEqual([method, suffix, 404, 'TICKETS.NOT_FOUND']);
      }
      const bad = await api.request(method, `/api/v1/tickets/not-a-uuid${suffix}`, { body, token: intruder.access });
      expect([method, suffix, bad.status, Object.keys(bad.body.errors)]).toEqual([method, suffix, 400, ['id']]);
    }
    expect((await api.get('/api/v1/tickets', { token: intruder.access })).body.data).toEqual([]);
    const staffRoutes: Array<[string, string, unknown]> = [
      ['GET', '', undefined],
      ['POST', '/replies', { body: 'hello' }],
      ['POST', '/notes', { body: 'note' }],
      ['PUT', '/assignee', { assignee_id: null }],
      ['PATCH', '', { status: 'resolved' }],
    ];
    for (const [method, suffix, body] of staffRoutes) {
      const res = await api.request(method, `/api/v1/admin/tickets/${MISSING}${suffix}`, { body, token: admin.access });
      expect([method, suffix, res.status, res.body.code]).toEqual([method, suffix, 404, 'TICKETS.NOT_FOUND']);
      const bad = await api.request(method, `/api/v1/admin/tickets/not-a-uuid${suffix}`, { body, token: admin.access });
      expect([method, suffix, bad.status]).toEqual([method, suffix, 400]);
    }
    const [row] = await db().query('SELECT status FROM tickets WHERE id = $1', [ticket.id]);
    expect(row.status).toBe('open');
    expect(await count('SELECT count(*)::int AS n FROM ticket_replies WHERE ticket_id = $1', [ticket.id])).toBe(0);
  });

  it('clients and providers get 403 on every admin route; a manager cannot read what the role map keeps for admins', async () => {
    const client = await registerUser(api);
    const therapist = await verifiedProvider(api, admin);
    const ticket = await openTicket(api, client);
    const routes: Array<[string, string, unknown]> = [
      ['GET', '/api/v1/admin/tickets', undefined],
      ['GET', '/api/v1/admin/tickets/counts', undefined],
      ['GET', `/api/v1/admin/tickets/${ticket.id}`, undefined],
      ['POST', `/api/v1/admin/tickets/${ticket.id}/replies`, { body: 'hi' }],
      ['POST', `/api/v1/admin/tickets/${ticket.id}/notes`, { body: 'hi' }],
      ['PUT', `/api/v1/admin/tickets/${ticket.id}/assignee`, { assignee_id: client.id }],
      ['PATCH', `/api/v1/admin/tickets/${ticket.id}`, { status: 'closed' }],
    ];
    for (const user of [client, therapist]) {
      for (const [method, path, body] of routes) {
        const res = await api.request(method, path, { body, token: user.access });
        expect([user.role, method, path, res.status]).toEqual([user.role, method, path, 403]);
      }
    }
    for (const [method, path, body] of routes) expect((await api.request(method, path, { body })).status).toBe(401);
    expect((await api.get('/api/v1/admin/audit-log?target_type=ticket', { token: manager.access })).status).toBe(403);
    expect((await api.get('/api/v1/admin/audit-log?target_type=ticket', { token: admin.access })).status).toBe(200);
    const [row] = await db().query('SELECT status, assignee_id FROM tickets WHERE id = $1', [ticket.id]);
    expect(row).toEqual({ status: 'open', assignee_id: null });
    expect(await count('SELECT count(*)::int AS n FROM ticket_notes WHERE ticket_id = $1', [ticket.id])).toBe(0);
  });

  it('privacy: export gives the user’s tickets and public thread decrypted (no notes); erasure deletes theirs and blanks what they wrote as staff', async () => {
    const requester = await registerUser(api);
    const agent = await createUserWithRole(api, Role.Manager);
    const ticket = await openTicket(api, requester, { subject: 'Export me', body: 'My private body text.' });
    const file = await uploadTo(api, requester, ticket.support_chat_id);
    await api.post(`/api/v1/tickets/${ticket.id}/replies`, { body: 'Here is a file.', attachment_ids: [file] }, { token: requester.access });
    expect((await api.post(`/api/v1/admin/tickets/${ticket.id}/replies`, { body: 'Agent reply text.' }, { token: agent.access })).status).toBe(201);
    expect((await api.post(`/api/v1/admin/tickets/${ticket.id}/notes`, { body: 'Agent internal note.' }, { token: agent.access })).status).toBe(201);
    expect((await api.put(`/api/v1/admin/tickets/${ticket.id}/assignee`, { assignee_id: agent.id }, { token: admin.access })).status).toBe(200);
    const privacy = api.resolve(TicketsPrivacyService);

    const exported = await db().transaction((manager) => privacy.exportFor(requester.id, manager));
    expect(exported).toEqual([
      expect.objectContaining({
        id: ticket.id,
        number: ticket.number,
        subject: 'Export me',
        body: 'My private body text.',
        status: 'pending_on_user',
        replies: [
          expect.objectContaining({ from_staff: false, written_by_you: true, body: 'Here is a file.', attachment_ids: [file] }),
          expect.objectContaining({ from_staff: true, written_by_you: false, body: 'Agent reply text.', attachment_ids: [] }),
        ],
      }),
    ]);
    expect(JSON.stringify(exported)).not.toContain('internal note');
    expect(await db().transaction((manager) => privacy.exportFor(agent.id, manager))).toEqual([]);

    // The agent is erased: their reply and note stay in place without text or author; the ticket still opens.
    const agentErased = await db().transaction((manager) => privacy.eraseFor(agent.id, manager));
    expect(agentErased).toEqual({ tickets_deleted: 0, replies_scrubbed: 1, notes_scrubbed: 1, assignments_cleared: 1 });
    const view = await api.get(`/api/v1/tickets/${ticket.id}`, { token: requester.access });
    expect(view.status).toBe(200);
    expect(view.body.data.assignee).toBeNull();
    expect(view.body.data.replies.map((r: any) => [r.from_staff, r.body, r.author?.id ?? null])).toEqual([
      [false, 'Here is a file.', requester.id],
      [true, null, null],
    ]);
    const staffView = await api.get(`/api/v1/admin/tickets/${ticket.id}`, { token: admin.access });
    expect(staffView.body.data.notes).toEqual([expect.objectContaining({ body: null, author: null })]);

    // The requester is erased: their tickets, replies, notes and attachment links are gone.
    const erased = await db().transaction((manager) => privacy.eraseFor(requester.id, manager));
    expect(erased).toMatchObject({ tickets_deleted: 1 });
    expect(await count('SELECT count(*)::int AS n FROM tickets WHERE id = $1', [ticket.id])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM ticket_replies WHERE ticket_id = $1', [ticket.id])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM ticket_notes WHERE ticket_id = $1', [ticket.id])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM ticket_reply_attachments WHERE attachment_id = $1', [file])).toBe(0);
    expect((await api.get(`/api/v1/admin/tickets/${ticket.id}`, { token: admin.access })).status).toBe(404);
  });

  it('crisis language in what the requester writes raises one risk flag (the ticket and its replies join it); staff replies are not scanned', async () => {
    const client = await registerUser(api);
    const calm = await openTicket(api, client, { subject: 'Billing', body: 'This bug is killing me lol, the export is slow.', category: 'billing' });
    const flagsOf = (): Promise<Array<{ id: string; source: string; detections: number }>> =>
      db().query('SELECT id, source, detections FROM risk_flags WHERE user_id = $1', [client.id]);
    expect(await flagsOf()).toEqual([]);
    const ticket = await openTicket(api, client, { subject: 'Cannot log my mood', body: 'i dont want to be alive anymore, nothing works' });
    const [flag] = await flagsOf();
    expect(flag).toMatchObject({ source: 'support_ticket', detections: 1 });
    expect(await db().query('SELECT reference_id FROM risk_detections WHERE flag_id = $1', [flag.id])).toEqual([{ reference_id: ticket.id }]);
    const reply = await api.post(`/api/v1/tickets/${calm.id}/replies`, { body: 'tonight i am going to end my life' }, { token: client.access });
    expect(reply.status).toBe(201);
    expect((await api.post(`/api/v1/admin/tickets/${ticket.id}/replies`, { body: 'Some clients say "I want to die" when overwhelmed.' }, { token: manager.access })).status).toBe(201);
    expect(await flagsOf()).toEqual([expect.objectContaining({ id: flag.id, detections: 2 })]);
    const [replyRow] = await db().query('SELECT id FROM ticket_replies WHERE ticket_id = $1', [calm.id]);
    expect((await db().query('SELECT reference_id FROM risk_detections WHERE flag_id = $1 ORDER BY detected_at', [flag.id])).map((r: any) => r.reference_id)).toEqual([ticket.id, replyRow.id]);
  });

  it('staff replying at once: every reply stored, first_response_at set once (to the first reply)', async () => {
    const client = await registerUser(api);
    const staff = [admin, manager, await createUserWithRole(api, Role.Manager), await createUserWithRole(api, Role.Admin)];
    const ticket = await openTicket(api, client);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.post(`/api/v1/admin/tickets/${ticket.id}/replies`, { body: `reply ${i}` }, { token: staff[i % staff.length].access })),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 8 }, () => 201));
    const replies = await db().query('SELECT created_at FROM ticket_replies WHERE ticket_id = $1 ORDER BY created_at, id', [ticket.id]);
    expect(replies).toHaveLength(8);
    const [row] = await db().query('SELECT first_response_at, status FROM tickets WHERE id = $1', [ticket.id]);
    expect(row.status).toBe('pending_on_user');
    expect(row.first_response_at.toISOString()).toBe(replies[0].created_at.toISOString());
    // Every response saw the same first response.
    expect(new Set(results.map((r) => r.body.data.first_response_at))).toEqual(new Set([row.first_response_at.toISOString()]));
    // The requester got one email per reply (each reply its own idempotency key).
    await waitFor(async () => mailFor(client.email).length === 8, 'eight reply emails');
  });
});
