import { MailMessage } from 'src/infrastructure/mail/mail-message.entity';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { DataSource } from 'typeorm';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';
import { sleep, waitFor } from './support/wait';

describe('mail over SMTP', () => {
  const smtp = new SmtpSink();
  let api: TestApp;

  beforeAll(async () => {
    const url = await smtp.start();
    api = await startTestApp({ env: { SMTP_URL: url, MAIL_FROM: 'alerts@haven.test' } });
  });
  afterAll(async () => {
    await api?.close();
    await smtp.stop();
  });

  it('delivers a message with the right recipient and subject, once per idempotency key', async () => {
    const mail = api.resolve(MailService);
    const message = { to: 'brother@example.com', subject: 'Alarm from Sam', text: 'Sam pressed the alarm.', idempotencyKey: 'alarm:1:brother', userIds: [] };
    const [id1, id2] = await Promise.all([mail.send(message), mail.send(message)]);
    expect(id1).toBe(id2);
    await waitFor(async () => smtp.received.length > 0, 'the SMTP server to receive the message');
    await sleep(500);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({ from: 'alerts@haven.test', to: ['brother@example.com'], subject: 'Alarm from Sam' });
    expect(smtp.received[0].raw).toContain('Sam pressed the alarm.');
    const stored = await waitFor(
      () => api.resolve(DataSource).getRepository(MailMessage).findOneBy({ id: id1, status: 'sent' }),
      'the message to be marked sent',
    );
    expect(stored.sentAt).toBeInstanceOf(Date);
  });
});

describe('mail without SMTP', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ withoutRedis: true });
  });
  afterAll(() => api?.close());

  it('keeps the message in the outbox', async () => {
    const id = await api
      .resolve(MailService)
      .send({ to: 'therapist@example.com', subject: 'Session reminder', text: 'Tomorrow at 10.', idempotencyKey: 'reminder:42', userIds: [] });
    const stored = await waitFor(
      () => api.resolve(DataSource).getRepository(MailMessage).findOneBy({ id, status: 'outbox' }),
      'the message to land in the outbox',
    );
    expect(stored).toMatchObject({ toAddress: 'therapist@example.com', subject: 'Session reminder', textBody: 'Tomorrow at 10.' });
  });
});
