import { Role } from 'src/common/access/permissions';
import { EventRemindersService } from 'src/modules/group-events/event-reminders.service';
import { DataSource } from 'typeorm';
import { verifiedProvider } from './support/chat';
import { ReceivedMail, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';
import { waitFor } from './support/wait';

interface ReminderRow {
  id: string;
  offset_minutes: number;
  due_at: Date;
  status: string;
}

describe('group event reminders: scheduled with the event, moved, cancelled, sent once to the seat holders', () => {
  let api: TestApp;
  let admin: TestUser;
  let db: DataSource;
  let reminders: EventRemindersService;
  const smtp = new SmtpSink();

  beforeAll(async () => {
    const url = await smtp.start();
    api = await startTestApp({ env: { SMTP_URL: url, MAIL_FROM: 'events@haven.test', SESSION_REMINDER_MINUTES: '1440,15' } });
    admin = await createUserWithRole(api, Role.Admin);
    db = api.resolve(DataSource);
    reminders = api.resolve(EventRemindersService);
  });
  afterAll(async () => {
    await api?.close();
    await smtp.stop();
  });

  const inMinutes = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString();
  const rows = (eventId: string): Promise<ReminderRow[]> =>
    db.query(`SELECT id, offset_minutes, due_at, status FROM event_reminders WHERE event_id = $1 ORDER BY offset_minutes DESC`, [eventId]);
  const mailTo = (address: string): ReceivedMail[] => smtp.received.filter((m) => m.to.includes(address));
  const notes = async (user: TestUser, eventId: string): Promise<unknown[]> => {
    const res = await api.get('/api/v1/notifications?page_size=100', { token: user.access });
    return (res.body.data as Array<{ title: string; related_id: string }>).filter((n) => n.related_id === eventId && n.title === 'Event soon');
  };

  /** A one-seat event in 30 minutes, a seat holder and someone on the waitlist. */
  async function cast(): Promise<{ host: TestUser; seated: TestUser; waiting: TestUser; eventId: string }> {
    const host = await verifiedProvider(api, admin, Role.Friend);
    const created = await api.post('/api/v1/events', { title: 'Evening circle', starts_at: inMinutes(30), location: 'Library', capacity: 1 }, { token: host.access });
    expect(created.status).toBe(201);
    const eventId = created.body.data.id as string;
    const [seated, waiting] = [await registerUser(api), await registerUser(api)];
    for (const user of [seated, waiting]) expect((await api.post('/api/v1/events/book', { event_id: eventId }, { token: user.access })).status).toBe(201);
    return { host, seated, waiting, eventId };
  }

  it('a new event gets a reminder per offset (a time already past is skipped); a due one reaches the seat holder once, in-app and by email', async () => {
    const { seated, waiting, eventId } = await cast();
    const [day, quarter] = await rows(eventId);
    expect([day.offset_minutes, day.status, quarter.offset_minutes, quarter.status]).toEqual([1440, 'skipped', 15, 'scheduled']);
    await db.query(`UPDATE event_reminders SET due_at = now() - interval '5 seconds' WHERE id = $1`, [quarter.id]);
    // The job three times: twice at once, once after.
    await Promise.all([reminders.remind({ reminderId: quarter.id }), reminders.remind({ reminderId: quarter.id })]);
    await reminders.remind({ reminderId: quarter.id });
    expect(await notes(seated, eventId)).toHaveLength(1);
    expect(await notes(waiting, eventId)).toHaveLength(0);
    await waitFor(async () => mailTo(seated.email).length > 0, 'the seat holder’s email');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailTo(seated.email)).toHaveLength(1);
    expect(mailTo(seated.email)[0].subject).toBe('Reminder: Evening circle');
    expect(mailTo(waiting.email)).toHaveLength(0);
    expect((await rows(eventId))[1].status).toBe('sent');
  });

  it('a new start moves the reminders; the job for the old time does nothing', async () => {
    const { host, seated, eventId } = await cast();
    const before = (await rows(eventId))[1];
    const moved = await api.patch(`/api/v1/events/${eventId}`, { starts_at: inMinutes(60 * 30) }, { token: host.access });
    expect(moved.status).toBe(200);
    const [day, quarter] = await rows(eventId);
    expect([day.status, quarter.status, quarter.id]).toEqual(['scheduled', 'scheduled', before.id]);
    expect(quarter.due_at.getTime()).toBeGreaterThan(before.due_at.getTime() + 60 * 60_000);
    await reminders.remind({ reminderId: quarter.id }); // not due yet
    expect(await notes(seated, eventId)).toHaveLength(0);
    expect((await rows(eventId))[1].status).toBe('scheduled');
  });

  it('cancelling the event cancels its reminders: nothing is sent', async () => {
    const { host, seated, eventId } = await cast();
    expect((await api.delete(`/api/v1/events/${eventId}`, { token: host.access })).status).toBe(200);
    const [, quarter] = await rows(eventId);
    expect(quarter.status).toBe('cancelled');
    await db.query(`UPDATE event_reminders SET due_at = now() - interval '5 seconds' WHERE id = $1`, [quarter.id]);
    await reminders.remind({ reminderId: quarter.id });
    expect(await notes(seated, eventId)).toHaveLength(0);
    expect((await rows(eventId))[1].status).toBe('cancelled');
  });
});
