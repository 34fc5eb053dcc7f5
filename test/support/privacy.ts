import { ChatCast, openChat, sendText } from './chat';
import { grantCare } from './care-team';
import { bookableProvider, book, hoursFromNow } from './providers';
import { openTicket } from './tickets';
import { ApiResponse, TestApp } from './test-app';
import { uniqueSuffix } from './test-env';
import { registerUser, TestUser } from './users';

/** A user with data in every module, each piece carrying `mark`, for the privacy tests. */
export interface SeededPerson {
  user: TestUser;
  mark: string;
  /** Every identifying value and text the person wrote (none may survive an erasure; each must be in an export). */
  secrets: Record<string, string>;
  provider: TestUser;
  chatId: string;
  supportChatId: string;
  /** Their message in the direct chat, and the therapist's answer. */
  mine: { id: string };
  theirs: { id: string };
  sessionId: string;
  /** A paid event the provider hosts, where the person holds a seat. */
  eventId: string;
}

const ok = (res: ApiResponse, what: string): ApiResponse => {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res;
};

/**
 * Registers a client and gives them data in every module that holds personal data: mood,
 * goals and progress, a screener with a safety signal, PTSD profile, contacts, an alarm and
 * its mail, the companion, a safety plan, a crisis message (risk flag), a direct chat with the
 * cast's therapist (message, edit, reaction), the support chat, an API token, a care grant, a
 * booked session, a support ticket with a staff reply (and its email), a subscription and a
 * paid seat at the provider's event.
 */
export async function seedEveryModule(api: TestApp, cast: ChatCast): Promise<SeededPerson> {
  const mark = `zq${uniqueSuffix().replace(/[^a-z0-9]/gi, '')}`;
  const secrets = {
    first: `Firstname${mark}`,
    last: `Lastname${mark}`,
    username: `user_${mark}`.slice(0, 30),
    email: `person-${mark}@example.com`,
    note: `mood note ${mark}`,
    goal: `goal ${mark}`,
    progress: `progress ${mark}`,
    location: `town ${mark}`,
    contactEmail: `brother-${mark}@example.com`,
    contactName: `Brother${mark}`,
    alarmPlace: `street ${mark}`,
    companion: `companion ${mark}`,
    plan: `reason ${mark}`,
    token: `token ${mark}`,
    chat: `chat text ${mark}`,
    support: `support text ${mark}`,
    sessionNotes: `notes ${mark}`,
    ticket: `ticket body ${mark}`,
  };
  const user = await registerUser(api, { email: secrets.email, username: secrets.username, first_name: secrets.first, last_name: secrets.last, personality_data: { interests: [mark] } });
  const provider = await bookableProvider(api, cast.admin);
  const as = { token: user.access };

  ok(await api.post('/api/v1/mood/entries', { mood: 'sad', intensity: 4, note: secrets.note, tags: [mark] }, as), 'mood');
  const goal = ok(await api.post('/api/v1/goals', { title: secrets.goal, description: `why ${mark}` }, as), 'goal');
  ok(await api.post(`/api/v1/goals/${goal.body.data.id}/progress`, { content: secrets.progress, mood_rating: 6 }, as), 'progress');
  ok(await api.post('/api/v1/screeners/phq9/responses', { answers: [1, 1, 1, 1, 1, 1, 1, 1, 1] }, as), 'screener');
  ok(await api.patch('/api/v1/ptsd/profile', { age: 34, location: secrets.location, military_status: true, ptsd_level: 3 }, as), 'ptsd');
  ok(await api.post('/api/v1/emergency-contacts', { name: secrets.contactName, phone: '+14155552671', email: secrets.contactEmail, relationship: 'brother' }, as), 'contact');
  ok(await api.put('/api/v1/therapist-contact', { therapist_user_id: cast.therapist.id }, as), 'therapist contact');
  ok(await api.post('/api/v1/alarms', { location: { text: secrets.alarmPlace } }, as), 'alarm');
  const companion = ok(await api.post('/api/v1/companion/conversations', {}, as), 'companion');
  ok(await api.post(`/api/v1/companion/conversations/${companion.body.data.id}/messages`, { text: secrets.companion }, as), 'companion message');
  ok(await api.put('/api/v1/safety-plans/me', { warning_signs: [`sign ${mark}`], reasons_for_living: [secrets.plan], base_version: 0 }, as), 'safety plan');
  ok(await api.post('/api/v1/auth/api-tokens', { name: secrets.token }, as), 'api token');
  const chatId = await openChat(api, user, cast.therapist);
  await grantCare(api, user, cast.therapist, ['mood']);
  const mine = (await sendText(api, chatId, user, secrets.chat)) as { id: string };
  ok(await api.post(`/api/v1/chats/${chatId}/messages`, { text: `I want to kill myself ${mark}` }, as), 'crisis message');
  const theirs = (await sendText(api, chatId, cast.therapist, 'How are you today?')) as { id: string };
  ok(await api.post(`/api/v1/chats/${chatId}/messages/${theirs.id}/reactions`, { emoji: '👍' }, as), 'reaction');
  ok(await api.patch(`/api/v1/chats/${chatId}/messages/${mine.id}`, { text: `${secrets.chat} (edited)` }, as), 'edit');
  const support = ok(await api.get('/api/v1/support/chat', as), 'support chat');
  await sendText(api, support.body.data.chat_id, user, secrets.support);
  const session = ok(
    await book(api, user, { friend_id: provider.id, type: 'video', scheduled_at: hoursFromNow(30), duration_minutes: 50, notes: secrets.sessionNotes, title: 'First talk' }),
    'session',
  );
  const ticket = (await openTicket(api, user, { subject: `ticket ${mark}`, body: secrets.ticket })) as { id: string };
  ok(await api.post(`/api/v1/admin/tickets/${ticket.id}/replies`, { body: 'We are looking into it.' }, { token: cast.admin.access }), 'staff reply');
  ok(await api.post('/api/v1/payments/subscribe', { plan: 'basic', payment_method_id: 'pm_card_visa' }, as), 'subscription');
  const event = ok(
    await api.post('/api/v1/events', { title: 'Evening circle', category: 'social', starts_at: hoursFromNow(72), location: 'Online', capacity: 5, price: '10.00', currency: 'EUR' }, { token: provider.access }),
    'event',
  );
  ok(await api.post('/api/v1/events/book', { event_id: event.body.data.id, payment_method_id: 'pm_card_visa' }, as), 'event ticket');
  return { user, mark, secrets, provider, chatId, supportChatId: support.body.data.chat_id, mine, theirs, sessionId: session.body.data.id, eventId: event.body.data.id };
}
