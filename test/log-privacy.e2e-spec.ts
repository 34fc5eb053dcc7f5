import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { ROOT_LOGGER } from 'src/infrastructure/logging/root-logger';
import { chatCast, ChatCast, openChat, sendText } from './support/chat';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';
import { login } from './support/users';
import { waitFor } from './support/wait';

/**
 * What people write never reaches the logs: message and mood texts, companion and safety
 * texts, contact addresses, alarm locations, passwords. Everything is logged at the most
 * verbose level while the texts pass through the API and the jobs they start (the alarm's
 * email to a contact, through a real SMTP server), and no line may hold any of them.
 */
describe('log privacy', () => {
  let api: TestApp;
  let cast: ChatCast;
  const smtp = new SmtpSink();
  const lines: string[] = [];
  let restore: () => void;

  beforeAll(async () => {
    api = await startTestApp({ env: { SMTP_URL: await smtp.start(), MAIL_FROM: 'haven@haven.test' } });
    cast = await chatCast(api);
    // Every line the app writes, at every level, from this point: the root logger and the
    // children made from it (the request scopes) share its stream.
    const root = api.resolve<Logger>(ROOT_LOGGER);
    const stream = (root as unknown as Record<symbol, { write(line: string): unknown }>)[pino.symbols.streamSym];
    const write = stream.write;
    const level = root.level;
    stream.write = (line: string) => lines.push(line);
    root.level = 'trace';
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    restore = () => {
      stream.write = write;
      root.level = level;
      stdout.mockRestore();
      stderr.mockRestore();
    };
  });
  afterAll(async () => {
    restore?.();
    await api?.close();
    await smtp.stop();
  });

  it('no text, address, location or password that a user sends appears in any log line', async () => {
    const marker = (what: string): string => `${what}${randomUUID().replaceAll('-', '')}`;
    const secrets = {
      message: marker('msg'),
      mood: marker('mood'),
      companion: marker('comp'),
      assess: marker('assess'),
      email: `${marker('mail')}@example.com`,
      location: marker('loc'),
      password: marker('Pw1!'),
    };
    const patient = cast.patient;
    const chatId = await openChat(api, patient, cast.therapist);
    await sendText(api, chatId, patient, `i feel a bit better today ${secrets.message}`);
    // A crisis text too: it raises a risk flag, pages staff and queues their email.
    await sendText(api, chatId, patient, `i want to end it all tonight ${secrets.message}`);
    expect((await api.post('/api/v1/mood/entries', { mood: 'sad', note: `long day ${secrets.mood}` }, { token: patient.access })).status).toBe(201);
    const conversation = (await api.post('/api/v1/companion/conversations', {}, { token: patient.access })).body.data.id as string;
    expect((await api.post(`/api/v1/companion/conversations/${conversation}/messages`, { text: `hello there ${secrets.companion}` }, { token: patient.access })).status).toBe(201);
    expect((await api.post('/api/v1/safety/assess', { text: `took the whole bottle ${secrets.assess}` }, { token: patient.access })).status).toBe(200);
    const contact = { name: 'Tom', phone: '+14155552671', email: secrets.email, relationship: 'brother' };
    expect((await api.post('/api/v1/emergency-contacts', contact, { token: patient.access })).status).toBe(201);
    const alarm = await api.post('/api/v1/alarms', { location: { latitude: 52.52, longitude: 13.405, text: secrets.location } }, { token: patient.access });
    expect(alarm.status).toBe(201);
    const alarmId = alarm.body.data.alarm.id as string;
    await waitFor(
      async () => ((await api.get(`/api/v1/alarms/${alarmId}`, { token: patient.access })).body.data.deliveries as Array<{ status: string }>).every((d) => d.status === 'sent') || undefined,
      'the alarm email to be sent',
    );
    expect(smtp.received.some((mail) => mail.to.includes(secrets.email))).toBe(true);
    expect((await login(api, { email: patient.email }, secrets.password)).status).toBe(401);
    // Bad input is logged nowhere either, even when it is echoed as a field error.
    expect((await api.post('/api/v1/mood/entries', { mood: 'sad', note: secrets.mood, unknown: secrets.mood }, { token: patient.access })).status).toBe(400);

    // The lines were captured: every request's access line is among them.
    await waitFor(async () => lines.some((line) => line.includes('"request completed"') && line.includes('/api/v1/alarms')) || undefined, 'the access line of the alarm');
    const leaks = lines.filter((line) => Object.values(secrets).some((secret) => line.includes(secret)));
    expect(leaks).toEqual([]);
    expect(lines.length).toBeGreaterThan(10);
  });
});
