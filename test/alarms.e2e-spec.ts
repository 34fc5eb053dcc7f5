import { Role } from 'src/common/access/permissions';
import type { Socket } from 'socket.io-client';
import { grantCare } from './support/care-team';
import { openChat, verifiedProvider } from './support/chat';
import { ReceivedMail, SmtpSink } from './support/smtp-sink';
import { connectSocket, nextEvent } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { usingRealPostgres } from './support/test-env';
import { createUserWithRole, registerUser, TestUser } from './support/users';
import { sleep, waitFor } from './support/wait';

const CONTACT_CAP = 2;

/** The text of a received message, quoted-printable soft breaks and escapes undone. */
const bodyOf = (mail: ReceivedMail): string =>
  mail.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const ackLinkIn = (mail: ReceivedMail): string => {
  const match = /https?:\/\/\S+\/api\/v1\/alarm-acknowledgements\/(\S+)/.exec(bodyOf(mail));
  if (!match) throw new Error('no acknowledgement link in the email');
  return `/api/v1/alarm-acknowledgements/${match[1]}`;
};

describe('alarms', () => {
  const smtp = new SmtpSink();
  let api: TestApp;
  let admin: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const url = await smtp.start();
    api = await startTestApp({ env: { SMTP_URL: url, MAIL_FROM: 'alarms@haven.test', ALARM_CONTACT_EMAILS_PER_HOUR: String(CONTACT_CAP), ALARM_REPEAT_WINDOW_SECONDS: '300' } });
    admin = await createUserWithRole(api, Role.Admin);
  });
  afterEach(() => {
    smtp.resume();
    smtp.refusing = false;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await api?.close();
    await smtp.stop();
  });

  const mailTo = (address: string): ReceivedMail[] => smtp.received.filter((m) => m.to.includes(address));
  const uniqueEmail = (name: string): string => `${name}-${Math.random().toString(36).slice(2, 10)}@example.org`;

  /** A veteran with a brother (email), a neighbour (no email) and an external therapist. */
  async function veteran(options: { firstName?: string } = {}): Promise<{ user: TestUser; brother: string; therapist: string }> {
    const user = await registerUser(api, { first_name: options.firstName ?? 'Sam', last_name: 'Porter' });
    const brother = uniqueEmail('tom');
    const therapist = uniqueEmail('dr-lee');
    const contact = await api.post('/api/v1/emergency-contacts', { name: 'Tom', phone: '+14155552671', email: brother, relationship: 'brother' }, { token: user.access });
    expect(contact.status).toBe(201);
    const neighbour = await api.post('/api/v1/emergency-contacts', { name: 'Ann', phone: '+14155552672', relationship: 'neighbour' }, { token: user.access });
    expect(neighbour.status).toBe(201);
    const contactTherapist = await api.put('/api/v1/therapist-contact', { name: 'Dr. Lee', phone: '+14155552673', email: therapist }, { token: user.access });
    expect([200, 201]).toContain(contactTherapist.status);
    return { user, brother, therapist };
  }

  const trigger = (user: TestUser, body: Record<string, unknown> = {}) => api.post('/api/v1/alarms', body, { token: user.access });
  const alarmOf = async (user: TestUser, id: string) => (await api.get(`/api/v1/alarms/${id}`, { token: user.access })).body.data;

  it('answers before any mail is sent, emails each recipient once with a link, and the acknowledgement reaches the user live', async () => {
    const { user, brother, therapist } = await veteran();
    const socket = await connectSocket(api.url, user.access);
    sockets.push(socket);
    smtp.pause();
    const res = await trigger(user, { location: { latitude: 52.52, longitude: 13.405, text: 'Home' } });
    expect(res.status).toBe(201);
    expect(res.body.data.duplicate).toBe(false);
    expect(res.body.data.messages).toEqual(
      expect.arrayContaining([
        'Your brother (Tom) is being notified by email.',
        expect.stringMatching(/^Your neighbour \(Ann\) has no email address, so they could not be notified/),
        'Your therapist (Dr. Lee) is being notified by email.',
      ]),
    );
    const alarmId = res.body.data.alarm.id;
    expect(res.body.data.alarm.deliveries.map((d: any) => [d.recipient_name, d.channel, d.status]).sort()).toEqual([
      ['Dr. Lee', 'email', 'queued'],
      ['Tom', 'email', 'queued'],
    ]);
    await sleep(300);
    expect(mailTo(brother)).toHaveLength(0); // the mail server has not accepted anything yet, and the answer is already here
    smtp.resume();
    await waitFor(async () => mailTo(brother).length === 1 && mailTo(therapist).length === 1, 'both alarm emails');
    await waitFor(async () => (await alarmOf(user, alarmId)).deliveries.every((d: any) => d.status === 'sent'), 'both deliveries to be sent');
    await sleep(300);
    expect(mailTo(brother)).toHaveLength(1);
    expect(mailTo(therapist)).toHaveLength(1);
    const email = bodyOf(mailTo(brother)[0]);
    expect(email).toContain('Sam');
    expect(email).toContain('openstreetmap.org');

    const link = ackLinkIn(mailTo(brother)[0]);
    const page = await api.get(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('Sam');
    expect(page.text).not.toContain('Porter');
    expect(page.text).not.toContain(brother);
    expect((await alarmOf(user, alarmId)).deliveries.find((d: any) => d.recipient_name === 'Tom').status).toBe('sent'); // viewing changes nothing

    const update = nextEvent(socket, 'alarm_delivery_updated', (e: any) => e.alarm_id === alarmId && e.delivery.status === 'acknowledged');
    const confirmed = await api.post(link);
    expect(confirmed.status).toBe(200);
    expect((await update).delivery).toMatchObject({ recipient_name: 'Tom', status: 'acknowledged', acknowledged_at: expect.any(String) });
    const alarm = await alarmOf(user, alarmId);
    expect(alarm.deliveries.find((d: any) => d.recipient_name === 'Tom').status).toBe('acknowledged');
    expect(alarm.result).toEqual({ music_played: false, contacts_messaged: true, therapist_notified: true, completed: false });
    expect(alarm.location).toEqual({ latitude: 52.52, longitude: 13.405, text: 'Home' });

    const again = await api.post(link);
    expect(again.status).toBe(410);
    const forged = link.slice(0, -2) + (link.endsWith('AA') ? 'BB' : 'AA');
    expect((await api.post(forged)).status).toBe(404);
    expect((await api.get('/api/v1/alarm-acknowledgements/not-a-token')).status).toBe(404);
    expect((await alarmOf(user, alarmId)).deliveries.find((d: any) => d.recipient_name === 'Tom').acknowledged_at).toBe(alarm.deliveries.find((d: any) => d.recipient_name === 'Tom').acknowledged_at);
  });

  it('the same client request id, sent concurrently, makes one alarm; a press while it is open returns it; after resolving a new one starts', async () => {
    const { user, brother } = await veteran();
    const answers = await Promise.all(Array.from({ length: 6 }, () => trigger(user, { client_request_id: 'press-1' })));
    const ids = new Set(answers.map((a) => a.body.data.alarm.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200 && a.body.data.duplicate === true)).toHaveLength(5);
    const [alarmId] = [...ids];
    const repeat = await trigger(user, {});
    expect(repeat.status).toBe(200);
    expect(repeat.body.data.alarm.id).toBe(alarmId);
    await waitFor(async () => mailTo(brother).length === 1, 'the alarm email');
    await sleep(500);
    expect(mailTo(brother)).toHaveLength(1);

    const resolved = await api.post(`/api/v1/alarms/${alarmId}/resolve`, { notify_contacts: true }, { token: user.access });
    expect(resolved.status).toBe(200);
    expect(resolved.body.data).toMatchObject({ status: 'resolved', resolved_at: expect.any(String), result: { completed: true } });
    expect((await api.post(`/api/v1/alarms/${alarmId}/resolve`, {}, { token: user.access })).body.code).toBe('ALARMS.ALREADY_RESOLVED');
    await waitFor(async () => mailTo(brother).some((m) => /safe now/.test(m.subject)), 'the all-clear email');
    const fresh = await trigger(user, { client_request_id: 'press-2' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.data.alarm.id).not.toBe(alarmId);
  });

  it('a retried job sends once; with the mail server down deliveries end failed, staff see it, and a retry sends when it is back', async () => {
    const { user, brother, therapist } = await veteran();
    smtp.refusing = true;
    const res = await trigger(user);
    const alarmId = res.body.data.alarm.id;
    // The first attempt fails; the server comes back before the retries run out.
    await waitFor(async () => (await alarmOf(user, alarmId)).deliveries.every((d: any) => d.attempts >= 1 && d.last_error), 'a failed first attempt');
    smtp.refusing = false;
    await waitFor(async () => (await alarmOf(user, alarmId)).deliveries.every((d: any) => d.status === 'sent'), 'the retries to send');
    await sleep(300);
    expect(mailTo(brother)).toHaveLength(1);
    expect(mailTo(therapist)).toHaveLength(1);
    const sent = await alarmOf(user, alarmId);
    for (const d of sent.deliveries) expect(d.attempts).toBeGreaterThanOrEqual(2);

    // Down for good: every attempt fails, the error is visible and carries no address.
    const second = await veteran({ firstName: 'Kim' });
    smtp.refusing = true;
    const down = await trigger(second.user);
    const downId = down.body.data.alarm.id;
    const failed = await waitFor(async () => {
      const alarm = await alarmOf(second.user, downId);
      return alarm.deliveries.every((d: any) => d.status === 'failed') ? alarm : null;
    }, 'the deliveries to fail for good', 20_000);
    for (const d of failed.deliveries) {
      expect(d.attempts).toBe(3);
      expect(d.last_error).toMatch(/451|try again later/);
      expect(d.last_error).not.toContain('@');
    }
    const staffView = await api.get(`/api/v1/admin/alarms?has_failures=true&user_id=${second.user.id}`, { token: admin.access });
    expect(staffView.status).toBe(200);
    expect(staffView.body.data.map((a: any) => a.id)).toEqual([downId]);
    expect((await api.get('/api/v1/admin/alarms', { token: user.access })).status).toBe(403);

    smtp.refusing = false;
    const tom = failed.deliveries.find((d: any) => d.recipient_name === 'Tom');
    const retried = await api.post(`/api/v1/alarms/${downId}/deliveries/${tom.id}/retry`, {}, { token: second.user.access });
    expect(retried.status).toBe(200);
    expect(retried.body.data.status).toBe('queued');
    await waitFor(async () => mailTo(second.brother).length === 1, 'the retried email');
    await waitFor(async () => (await alarmOf(second.user, downId)).deliveries.find((d: any) => d.id === tom.id).status === 'sent', 'the retried delivery to be sent');
    const twice = await api.post(`/api/v1/alarms/${downId}/deliveries/${tom.id}/retry`, {}, { token: second.user.access });
    expect(twice.body.code).toBe('ALARMS.DELIVERY_NOT_FAILED');
  });

  it('a Haven therapist gets the email, an in-app notification and a live event', async () => {
    const therapist = await verifiedProvider(api, admin);
    const user = await registerUser(api, { first_name: 'Alex', last_name: 'Reed' });
    expect((await api.put('/api/v1/therapist-contact', { therapist_user_id: therapist.id }, { token: user.access })).status).toBeLessThan(300);
    const socket = await connectSocket(api.url, therapist.access);
    sockets.push(socket);
    const raised = nextEvent(socket, 'alarm_raised', (e: any) => e.user.id === user.id);
    const res = await trigger(user);
    expect(res.status).toBe(201);
    expect(res.body.data.messages).toEqual(expect.arrayContaining([expect.stringMatching(/^Your therapist \(.+\) is being notified in Haven and by email\.$/)]));
    expect(res.body.data.messages).toEqual(expect.arrayContaining([expect.stringMatching(/no emergency contacts/)]));
    expect(await raised).toMatchObject({ alarm_id: res.body.data.alarm.id, user: { first_name: 'Alex' } });
    const notifications = await waitFor(async () => {
      const list = await api.get('/api/v1/notifications', { token: therapist.access });
      return list.body.data.find((n: any) => n.notification_type === 'alarm');
    }, 'the in-app notification');
    expect(notifications).toMatchObject({ related_id: res.body.data.alarm.id });
    await waitFor(async () => mailTo(therapist.email).length === 1, 'the therapist email');
    await waitFor(async () => (await alarmOf(user, res.body.data.alarm.id)).deliveries.every((d: any) => d.status === 'sent'), 'both deliveries sent');
  });

  it('caps alarm emails per contact per hour (the therapist is never capped)', async () => {
    const { user, brother, therapist } = await veteran();
    for (let n = 0; n < CONTACT_CAP + 1; n += 1) {
      const res = await trigger(user, { client_request_id: `cap-${n}` });
      expect(res.status).toBe(201);
      const tom = res.body.data.alarm.deliveries.find((d: any) => d.recipient_name === 'Tom');
      expect(tom.status).toBe(n < CONTACT_CAP ? 'queued' : 'suppressed');
      if (n === CONTACT_CAP) expect(res.body.data.messages).toEqual(expect.arrayContaining([expect.stringMatching(/already emailed 2 times in the last hour/)]));
      await api.post(`/api/v1/alarms/${res.body.data.alarm.id}/resolve`, {}, { token: user.access });
    }
    await waitFor(async () => mailTo(therapist).length === CONTACT_CAP + 1, 'every therapist email');
    await sleep(300);
    expect(mailTo(brother)).toHaveLength(CONTACT_CAP);
  });

  it('refuses bad input naming the field and records nothing', async () => {
    const { user } = await veteran();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ location: { latitude: 91, longitude: 0 } }, 'location'],
      [{ location: { text: 'x'.repeat(201) } }, 'location'],
      [{ location: 'home' }, 'location'],
      [{ client_request_id: 'has space' }, 'client_request_id'],
      [{ client_request_id: 'x'.repeat(65) }, 'client_request_id'],
      [{ message: 'help' }, 'message'],
    ];
    for (const [body, field] of cases) {
      const res = await trigger(user, body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors).join(',')).toContain(field);
    }
    expect((await api.get('/api/v1/alarms', { token: user.access })).body.pagination.count).toBe(0);
    expect((await api.get('/api/v1/alarms?status=closed', { token: user.access })).status).toBe(400);
  });

  it('nobody else sees an alarm: 404 for another user and a therapist without a grant; a care-team therapist and staff see it', async () => {
    const { user } = await veteran();
    const stranger = await registerUser(api);
    const therapist = await verifiedProvider(api, admin);
    const res = await trigger(user);
    const alarmId = res.body.data.alarm.id;
    const deliveryId = res.body.data.alarm.deliveries[0].id;
    for (const other of [stranger, therapist]) {
      expect((await api.get(`/api/v1/alarms/${alarmId}`, { token: other.access })).status).toBe(404);
      expect((await api.post(`/api/v1/alarms/${alarmId}/resolve`, {}, { token: other.access })).status).toBe(404);
      expect((await api.post(`/api/v1/alarms/${alarmId}/deliveries/${deliveryId}/retry`, {}, { token: other.access })).status).toBe(404);
      expect((await api.get(`/api/v1/clients/${user.id}/alarms`, { token: other.access })).status).toBe(404);
    }
    expect((await api.post(`/api/v1/alarms/${alarmId}/deliveries/00000000-0000-4000-8000-000000000000/retry`, {}, { token: user.access })).body.code).toBe('ALARMS.DELIVERY_NOT_FOUND');
    expect((await api.get(`/api/v1/alarms?page_size=5`, { token: stranger.access })).body.pagination.count).toBe(0);
    await openChat(api, user, therapist);
    await grantCare(api, user, therapist, ['alarms']);
    const shared = await api.get(`/api/v1/clients/${user.id}/alarms`, { token: therapist.access });
    expect(shared.status).toBe(200);
    expect(shared.body.data.map((a: any) => a.id)).toEqual([alarmId]);
    expect((await api.get(`/api/v1/alarms/${alarmId}`, { token: therapist.access })).status).toBe(200);
    expect((await api.get(`/api/v1/alarms/${alarmId}`, { token: admin.access })).status).toBe(200);
    const byTherapist = await api.post(`/api/v1/alarms/${alarmId}/resolve`, {}, { token: therapist.access });
    expect(byTherapist.status).toBe(200);
    // Raising, resolving and the therapist's reads are in the audit log.
    const audit = await api.get(`/api/v1/admin/audit-log?page_size=100&target_id=${alarmId}`, { token: admin.access });
    expect(audit.body.data.map((e: any) => [e.action, e.actor_id])).toEqual(
      expect.arrayContaining([
        ['alarm.triggered', user.id],
        ['alarm.resolved', therapist.id],
      ]),
    );
    const reads = await api.get(`/api/v1/admin/audit-log?page_size=100&action=care.shared_data_read&target_id=${user.id}`, { token: admin.access });
    expect(reads.body.data.length).toBeGreaterThanOrEqual(2);
  });

  // 100 on real PostgreSQL; the embedded database runs one transaction at a time, so 30 show the same there in a third of the time.
  const CROWD = usingRealPostgres ? 100 : 30;

  it(`${CROWD} people raising alarms at once: ${CROWD} alarms, exactly one email per recipient`, async () => {
    // People are set up ten at a time (registration hashes passwords); the presses are what run at once.
    const people: Array<{ user: TestUser; email: string }> = [];
    for (let batch = 0; batch < CROWD / 10; batch += 1) {
      people.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            const n = batch * 10 + i;
            const user = await registerUser(api, { first_name: `P${n}` });
            const email = uniqueEmail(`c${n}`);
            const res = await api.post('/api/v1/emergency-contacts', { name: `C${n}`, phone: '+14155552671', email, relationship: 'friend' }, { token: user.access });
            expect(res.status).toBe(201);
            return { user, email };
          }),
        )),
      );
    }
    const answers = await Promise.all(people.map((p) => trigger(p.user, { client_request_id: 'now' })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(CROWD);
    expect(new Set(answers.map((a) => a.body.data.alarm.id)).size).toBe(CROWD);
    await waitFor(async () => people.every((p) => mailTo(p.email).length >= 1), 'every contact email', usingRealPostgres ? 30_000 : 60_000);
    await sleep(500);
    for (const p of people) expect(mailTo(p.email)).toHaveLength(1);
  }, 120_000);
});
