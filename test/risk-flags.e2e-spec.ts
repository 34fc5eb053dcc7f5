import { Role } from 'src/common/access/permissions';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { RiskFlagsService } from 'src/modules/risk-flags/risk-flags.service';
import type { Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { openChat, sendText, verifiedProvider } from './support/chat';
import { ReceivedMail, SmtpSink } from './support/smtp-sink';
import { collect, connectSocket, nextEvent } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';
import { sleep, waitFor } from './support/wait';

const CRISIS = 'i took the whole bottle of pills an hour ago';
const MORE_CRISIS = ['i dont want to be alive anymore', 'tonight i am going to end my life', 'i have the rope ready'];

describe('risk flags', () => {
  const smtp = new SmtpSink();
  let api: TestApp;
  let admin: TestUser;
  let manager: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const url = await smtp.start();
    api = await startTestApp({ env: { SMTP_URL: url, MAIL_FROM: 'safety@haven.test', RISK_ACK_DEADLINE_MINUTES: '10', RISK_REESCALATE_EVERY_MINUTES: '5', RISK_JOIN_WINDOW_MINUTES: '30' } });
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
  const flagsOf = (userId: string): Promise<Array<Record<string, any>>> =>
    db().query('SELECT id, status, detections, escalation_level, categories, source, conversation_id, next_escalation_at FROM risk_flags WHERE user_id = $1 ORDER BY created_at', [userId]);
  const audited = async (flagId: string): Promise<string[]> =>
    (await db().query<Array<{ action: string }>>('SELECT action FROM audit_log WHERE target_type = $1 AND target_id = $2 ORDER BY occurred_at, id', ['risk_flag', flagId])).map((r) => r.action);
  const notificationsOf = async (user: TestUser, type: string): Promise<any[]> => {
    const res = await api.get(`/api/v1/notifications?notification_type=${type}&page_size=100`, { token: user.access });
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const mailFor = (email: string): ReceivedMail[] => smtp.received.filter((m) => m.to.includes(email));
  const runEscalation = (flagId: string, level: number): Promise<void> =>
    api.resolve(QueueService).enqueue('risk.escalate', { flagId, level }, { key: `test:${flagId}:${level}:${Date.now()}` });

  it('a crisis in a therapist–patient chat: one flag, paged within 5 s, joined by three more, re-escalated, acknowledged, resolved, audited', async () => {
    const therapist = await verifiedProvider(api, admin);
    const bystander = await verifiedProvider(api, admin);
    const client = await registerUser(api, { first_name: 'Sam', last_name: 'Reed' });
    const chatId = await openChat(api, client, therapist);
    const [therapistSocket, managerSocket, adminSocket, clientSocket, bystanderSocket] = await Promise.all([therapist, manager, admin, client, bystander].map(socketOf));
    const bystanderPages = collect(bystanderSocket, 'risk_flag_raised');

    const started = Date.now();
    const therapistPage = nextEvent(therapistSocket, 'risk_flag_raised', (p) => p.flag.user.id === client.id, 5_000);
    const managerPage = nextEvent(managerSocket, 'risk_flag_raised', (p) => p.flag.user.id === client.id, 5_000);
    const adminPage = nextEvent(adminSocket, 'risk_flag_raised', (p) => p.flag.user.id === client.id, 5_000);
    const support = nextEvent(clientSocket, 'crisis_support', () => true, 5_000);
    const sent = await sendText(api, chatId, client, CRISIS);
    const [page] = await Promise.all([therapistPage, managerPage, adminPage]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(page.flag).toMatchObject({ source: 'chat_message', conversation_id: chatId, status: 'open', severity: 'critical', detections: 1, user: { id: client.id, first_name: 'Sam' } });
    expect(page.flag.categories).toContain('overdose');
    expect(JSON.stringify(page)).not.toContain('bottle');
    const shown = await support;
    expect(shown).toMatchObject({ source: 'chat_message', reference_id: sent.id });
    expect(shown.support.resources.emergency_number).toEqual(expect.any(String));

    // Three more within the window join the flag: nobody is paged again.
    const repeatPages = collect(therapistSocket, 'risk_flag_raised');
    for (const text of MORE_CRISIS) await sendText(api, chatId, client, text);
    await sleep(300);
    expect(repeatPages).toEqual([]);
    expect(bystanderPages).toEqual([]);
    const [flag] = await flagsOf(client.id);
    expect(await flagsOf(client.id)).toHaveLength(1);
    expect(flag).toMatchObject({ status: 'open', detections: 4, escalation_level: 0 });

    // Notifications: therapist and staff once, the bystander therapist never; no text anywhere.
    for (const user of [therapist, manager, admin]) {
      const mine = (await notificationsOf(user, 'risk_flag')).filter((n) => n.related_id === flag.id);
      expect(mine).toHaveLength(1);
      expect(mine[0].message).toBe('Sam Reed wrote a chat message that may mean they are in crisis. Please check in.');
    }
    expect(await notificationsOf(bystander, 'risk_flag')).toEqual([]);
    expect((await notificationsOf(client, 'crisis_support')).filter((n) => n.related_id === flag.id)).toHaveLength(1);
    await waitFor(async () => mailFor(manager.email).length > 0 && mailFor(admin.email).length > 0, 'staff emails');
    expect(mailFor(manager.email)[0].subject).toBe('Risk flag: Sam Reed may be in crisis');
    expect(mailFor(manager.email)[0].raw).toContain('/api/v1/admin/risk-flags/');
    expect(mailFor(manager.email)[0].raw).not.toContain('bottle');

    // The deadline passes unacknowledged: the job pages all staff again, once per level.
    await db().query("UPDATE risk_flags SET next_escalation_at = now() - interval '1 second' WHERE id = $1", [flag.id]);
    const escalated = nextEvent(managerSocket, 'risk_flag_escalated', (p) => p.flag.id === flag.id, 10_000);
    const adminEscalated = nextEvent(adminSocket, 'risk_flag_escalated', (p) => p.flag.id === flag.id, 10_000);
    await runEscalation(flag.id, 1);
    await runEscalation(flag.id, 1);
    expect((await escalated).flag.escalation_level).toBe(1);
    await adminEscalated;
    await waitFor(async () => (await notificationsOf(manager, 'risk_flag')).filter((n) => n.related_id === flag.id).length === 2, 'the second page');
    await sleep(300);
    expect((await flagsOf(client.id))[0].escalation_level).toBe(1);
    expect((await notificationsOf(admin, 'risk_flag')).filter((n) => n.related_id === flag.id)).toHaveLength(2);

    // Acknowledged: no further pages, even when the next level's job runs.
    const ack = await api.post(`/api/v1/admin/risk-flags/${flag.id}/acknowledge`, {}, { token: manager.access });
    expect(ack.status).toBe(200);
    expect(ack.body.data).toMatchObject({ status: 'acknowledged', acknowledged_by: manager.id });
    const afterAck = collect(adminSocket, 'risk_flag_escalated');
    await db().query("UPDATE risk_flags SET next_escalation_at = now() - interval '1 second' WHERE id = $1", [flag.id]);
    await runEscalation(flag.id, 2);
    await sleep(1_000);
    expect(afterAck).toEqual([]);
    expect((await flagsOf(client.id))[0]).toMatchObject({ status: 'acknowledged', escalation_level: 1 });

    const note = await api.post(`/api/v1/admin/risk-flags/${flag.id}/notes`, { text: 'Called Sam, safe with family.' }, { token: admin.access });
    expect(note.status).toBe(201);
    const resolved = await api.post(`/api/v1/admin/risk-flags/${flag.id}/resolve`, { outcome: 'contacted_safe' }, { token: admin.access });
    expect(resolved.status).toBe(200);
    expect(resolved.body.data).toMatchObject({ status: 'resolved', outcome: 'contacted_safe', resolved_by: admin.id, detections: 4 });
    expect(resolved.body.data.notes).toEqual([expect.objectContaining({ author_id: admin.id, text: 'Called Sam, safe with family.' })]);
    expect(resolved.body.data.detection_list.map((d: any) => d.source)).toEqual(['chat_message', 'chat_message', 'chat_message', 'chat_message']);
    expect(JSON.stringify(resolved.body.data)).not.toMatch(/bottle|rope|alive/);
    expect((await api.post(`/api/v1/admin/risk-flags/${flag.id}/resolve`, { outcome: 'other' }, { token: admin.access })).body.code).toBe('RISK.ALREADY_RESOLVED');
    const [stored] = await db().query('SELECT body_encrypted FROM risk_flag_notes WHERE flag_id = $1', [flag.id]);
    expect(stored.body_encrypted).not.toContain('safe with family');

    expect(await audited(flag.id)).toEqual([
      'risk.flag_raised',
      'risk.flag_joined',
      'risk.flag_joined',
      'risk.flag_joined',
      'risk.flag_escalated',
      'risk.flag_acknowledged',
      'risk.flag_noted',
      'risk.flag_resolved',
    ]);
  });

  it('a burst of crisis messages sent at once raises one flag that holds them all', async () => {
    const therapist = await verifiedProvider(api, admin);
    const client = await registerUser(api);
    const chatId = await openChat(api, client, therapist);
    const texts = Array.from({ length: 12 }, (_, i) => `${MORE_CRISIS[i % MORE_CRISIS.length]} (${i})`);
    const sent = await Promise.all(texts.map((text) => sendText(api, chatId, client, text)));
    const flags = await flagsOf(client.id);
    expect(flags).toHaveLength(1);
    expect(flags[0].detections).toBe(12);
    const references = await db().query('SELECT reference_id FROM risk_detections WHERE flag_id = $1', [flags[0].id]);
    expect(references.map((r: { reference_id: string }) => r.reference_id).sort()).toEqual(sent.map((m) => m.id).sort());
    expect((await notificationsOf(therapist, 'risk_flag')).filter((n) => n.related_id === flags[0].id)).toHaveLength(1);
  });

  it('mood notes and goal progress are scanned; everyday words and professional writing raise nothing', async () => {
    const therapist = await verifiedProvider(api, admin);
    const client = await registerUser(api);
    const chatId = await openChat(api, client, therapist);
    await sendText(api, chatId, client, 'this commute is killing me lol');
    // An edit is new text: scanned like a send.
    const edited = await sendText(api, chatId, client, 'ok see you thursday');
    await sendText(api, chatId, therapist, 'Many clients say "I want to die" when overwhelmed; we will plan for that.');
    expect(await api.post('/api/v1/mood/entries', { mood: 'tired', note: 'long day, dying to sleep' }, { token: client.access }).then((r) => r.status)).toBe(201);
    expect(await flagsOf(client.id)).toEqual([]);
    expect(await flagsOf(therapist.id)).toEqual([]);

    const mood = await api.post('/api/v1/mood/entries', { mood: 'sad', note: 'i want to kill myself tonight' }, { token: client.access });
    expect(mood.status).toBe(201);
    const goal = await api.post('/api/v1/goals', { title: 'Sleep better' }, { token: client.access });
    const progress = await api.post(`/api/v1/goals/${goal.body.data.id}/progress`, { content: 'cut myself again last night' }, { token: client.access });
    expect(progress.status).toBe(201);
    expect((await api.patch(`/api/v1/chats/${chatId}/messages/${edited.id}`, { text: 'there wont be a thursday, i have the pills counted out for tonight' }, { token: client.access })).status).toBe(200);
    const flags = await flagsOf(client.id);
    expect(flags.map((f) => f.source).sort()).toEqual(['chat_message', 'goal_progress', 'mood_entry']);
    expect((await db().query('SELECT reference_id FROM risk_detections WHERE flag_id = $1', [flags.find((f) => f.source === 'chat_message')!.id]))[0].reference_id).toBe(edited.id);
    const detections = await db().query("SELECT source, reference_id FROM risk_detections WHERE flag_id = ANY($1) AND source <> 'chat_message' ORDER BY source", [flags.map((f) => f.id)]);
    expect(detections).toEqual([
      { source: 'goal_progress', reference_id: progress.body.data.id },
      { source: 'mood_entry', reference_id: mood.body.data.id },
    ]);
  });

  it('a PHQ-9 self-harm answer raises a flag that re-escalates until acknowledged', async () => {
    const client = await registerUser(api);
    const res = await api.post('/api/v1/screeners/phq9/responses', { answers: [1, 1, 1, 1, 1, 1, 1, 1, 2] }, { token: client.access });
    expect(res.status).toBe(201);
    const [flag] = await flagsOf(client.id);
    expect(flag).toMatchObject({ source: 'screener_response', status: 'open', categories: ['suicidal_ideation'] });
    expect(await db().query('SELECT reference_id FROM risk_detections WHERE flag_id = $1', [flag.id])).toEqual([{ reference_id: res.body.data.id }]);
    expect(flag.next_escalation_at).not.toBeNull();

    // Its escalation job lost (a crash, a flushed Redis): the sweep queues that level again, and it pages once.
    await db().query("UPDATE risk_flags SET next_escalation_at = now() - interval '2 minutes' WHERE id = $1", [flag.id]);
    expect(await api.resolve(RiskFlagsService).requeueLostEscalations()).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await flagsOf(client.id))[0].escalation_level === 1, 'the swept escalation');
    await waitFor(async () => (await audited(flag.id)).includes('risk.flag_escalated'), 'its audit entry');
    expect((await audited(flag.id)).filter((a) => a === 'risk.flag_escalated')).toHaveLength(1);
  });

  it('staff only: clients and therapists get 403; an unknown flag 404; bad input 400 naming the field; the list sorts and filters', async () => {
    const therapist = await verifiedProvider(api, admin);
    const client = await registerUser(api);
    await api.post('/api/v1/mood/entries', { mood: 'sad', note: 'i am going to overdose on my meds tonight' }, { token: client.access });
    const [flag] = await flagsOf(client.id);
    for (const caller of [client, therapist]) {
      expect((await api.get('/api/v1/admin/risk-flags', { token: caller.access })).status).toBe(403);
      expect((await api.get(`/api/v1/admin/risk-flags/${flag.id}`, { token: caller.access })).status).toBe(403);
      expect((await api.post(`/api/v1/admin/risk-flags/${flag.id}/acknowledge`, {}, { token: caller.access })).status).toBe(403);
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const res of [
      await api.get(`/api/v1/admin/risk-flags/${unknown}`, { token: manager.access }),
      await api.post(`/api/v1/admin/risk-flags/${unknown}/acknowledge`, {}, { token: manager.access }),
      await api.post(`/api/v1/admin/risk-flags/${unknown}/notes`, { text: 'x' }, { token: manager.access }),
      await api.post(`/api/v1/admin/risk-flags/${unknown}/resolve`, { outcome: 'other' }, { token: manager.access }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('RISK.NOT_FOUND');
    }
    const bad = [
      [await api.post(`/api/v1/admin/risk-flags/${flag.id}/resolve`, { outcome: 'fine' }, { token: manager.access }), 'outcome'],
      [await api.post(`/api/v1/admin/risk-flags/${flag.id}/resolve`, { outcome: 'other', extra: 1 }, { token: manager.access }), 'extra'],
      [await api.post(`/api/v1/admin/risk-flags/${flag.id}/notes`, { text: '' }, { token: manager.access }), 'text'],
      [await api.post(`/api/v1/admin/risk-flags/${flag.id}/notes`, { text: 'x'.repeat(4001) }, { token: manager.access }), 'text'],
      [await api.get('/api/v1/admin/risk-flags?severity=extreme', { token: manager.access }), 'severity'],
    ] as const;
    for (const [res, field] of bad) {
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toContain(field);
    }
    expect(await db().query('SELECT count(*)::int AS n FROM risk_flag_notes WHERE flag_id = $1', [flag.id])).toEqual([{ n: 0 }]);
    expect((await flagsOf(client.id))[0].status).toBe('open');

    const list = await api.get(`/api/v1/admin/risk-flags?user_id=${client.id}&status=open`, { token: manager.access });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([expect.objectContaining({ id: flag.id, source: 'mood_entry', severity: 'critical', user: expect.objectContaining({ id: client.id }) })]);
    expect(list.text).not.toContain('overdose on my meds');
    const oldest = await api.get('/api/v1/admin/risk-flags?ordering=first_detected_at&page_size=100', { token: admin.access });
    const times = oldest.body.data.map((f: any) => f.first_detected_at);
    expect(times).toEqual([...times].sort());
  });

  it('crisis support: the helplines of the profile’s country, else the international list; a safety plan and alarm state', async () => {
    const user = await registerUser(api);
    const fallback = await api.get('/api/v1/crisis-support', { token: user.access });
    expect(fallback.status).toBe(200);
    expect(fallback.body.data).toMatchObject({ resources: { country: null }, safety_plan: null, alarm_available: false });
    expect((await api.patch('/api/v1/users/me', { country: 'gb' }, { token: user.access })).body.data.country).toBe('GB');
    const british = await api.get('/api/v1/crisis-support', { token: user.access });
    expect(british.body.data.resources.country).toBe('GB');
    expect(british.body.data.resources.helplines.length).toBeGreaterThan(0);
    const badCountry = await api.patch('/api/v1/users/me', { country: 'XX' }, { token: user.access });
    expect(badCountry.status).toBe(400);
    expect(Object.keys(badCountry.body.errors)).toContain('country');
    const badLanguage = await api.patch('/api/v1/users/me', { language: 'de' }, { token: user.access });
    expect(badLanguage.status).toBe(400);
  });
});
