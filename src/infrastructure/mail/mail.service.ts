import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from 'src/config/app-config';
import { JobHandler } from 'src/infrastructure/queue/job-handler.decorator';
import { JobPayloads } from 'src/infrastructure/queue/jobs';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { EntityManager, Repository } from 'typeorm';
import { MailMessage } from './mail-message.entity';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable key for this message (e.g. `alarm:<triggerId>:<contactId>`): sending it again is a no-op. */
  idempotencyKey: string;
  /** The accounts it is to or about (its recipient's, the person an alarm is for): their erasure deletes it. */
  userIds: string[];
}

/**
 * The SMTP URL with a connection pool unless it says otherwise (`?pool=false`): a new
 * connection per message halved the alarm jobs' throughput in bench/alarms.ts.
 */
export function pooled(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  if (!url.searchParams.has('maxConnections')) url.searchParams.set('maxConnections', '10');
  return url.toString();
}

/** `jane.doe@example.com` → `j***@example.com`, for logs. */
export function maskAddress(address: string): string {
  const [local, domain] = address.split('@');
  return `${local.slice(0, 1)}***@${domain ?? ''}`;
}

/**
 * Outgoing mail: `send` stores the message and queues a job; the job delivers it over
 * SMTP (SMTP_URL) or keeps it in the outbox. A message is stored before anything else
 * happens, so a crash loses nothing, and delivered at most once per idempotency key.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter | null;
  private readonly keepers = new Map<string, (keys: string[]) => Promise<Set<string>>>();

  constructor(
    private readonly config: AppConfig,
    private readonly queue: QueueService,
    @InjectRepository(MailMessage) private readonly messages: Repository<MailMessage>,
  ) {
    this.transport = config.mail.smtpUrl ? createTransport(pooled(config.mail.smtpUrl)) : null;
  }

  /** Stores the message and queues its delivery; returns the stored message id. */
  async send(mail: OutgoingMail): Promise<string> {
    const stored = await this.store(mail);
    await this.queue.enqueue('email.send', { mailId: stored.id }, { key: stored.id });
    return stored.id;
  }

  /**
   * Stores the message and sends it now, inside the caller's job, for mail that must not
   * wait behind the email queue (alarms). Returns the stored id once the SMTP server has
   * accepted it (or it went to the outbox); throws when the server refuses, and the caller's
   * retry sends it. A message already recorded as sent is not sent again.
   */
  async sendNow(mail: OutgoingMail): Promise<string> {
    const stored = await this.store(mail);
    if (stored.status === 'queued') await this.transmit(stored);
    return stored.id;
  }

  @JobHandler('email.send')
  async deliver({ mailId }: JobPayloads['email.send'], attempt: number): Promise<void> {
    const mail = await this.messages.findOneBy({ id: mailId });
    if (!mail || mail.status !== 'queued') return; // already handled: a retry must not send twice
    try {
      await this.transmit(mail);
    } catch (error) {
      // The last attempt: the message is finished (failed), so retention may delete it in time.
      if (attempt >= this.config.jobs.retry.attempts) await this.messages.update({ id: mail.id, status: 'queued' }, { status: 'failed' });
      throw error;
    }
  }

  /**
   * Keeps sent mail whose key starts with `keyPrefix` while its owner still needs it: a key
   * is an idempotency record, and deleting it would let a retry send the message again
   * (alarm deliveries register while their delivery is still queued).
   */
  retainWhile(keyPrefix: string, stillNeeded: (keys: string[]) => Promise<Set<string>>): void {
    this.keepers.set(keyPrefix, stillNeeded);
  }

  /**
   * Retention: deletes up to `limit` finished messages — sent (or kept in the outbox) before
   * `cutoff`, or failed for good and created before it — except those a registered owner
   * still needs. Queued (pending) mail is never deleted. Returns how many.
   */
  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const candidates = await this.messages
      .createQueryBuilder('m')
      .select(['m.id', 'm.idempotencyKey'])
      .where(`((m.status IN ('sent', 'outbox') AND m.sentAt < :cutoff) OR (m.status = 'failed' AND m.createdAt < :cutoff))`, { cutoff })
      .orderBy('m.createdAt')
      .limit(limit)
      .getMany();
    const kept = new Set<string>();
    for (const [prefix, stillNeeded] of this.keepers) {
      const keys = candidates.map((m) => m.idempotencyKey).filter((key) => key.startsWith(prefix));
      if (keys.length > 0) for (const key of await stillNeeded(keys)) kept.add(key);
    }
    const ids = candidates.filter((m) => !kept.has(m.idempotencyKey)).map((m) => m.id);
    if (ids.length === 0) return 0;
    // Re-checked in the delete: a message is deleted only while it is still finished.
    const result = await this.messages
      .createQueryBuilder()
      .delete()
      .where(`id IN (:...ids) AND status IN ('sent', 'outbox', 'failed')`, { ids })
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Erasure: every message to or about the account goes, sent or not (a queued one's job
   * then finds nothing to send). Returns how many.
   */
  async forgetUser(userId: string, manager: EntityManager): Promise<number> {
    const deleted = await manager.createQueryBuilder().delete().from(MailMessage).where('user_ids @> ARRAY[:userId]::uuid[]', { userId }).execute();
    return deleted.affected ?? 0;
  }

  /** What was sent to or about the account (their archive): recipient, subject, status and times, oldest first. */
  async sentAbout(userId: string, manager: EntityManager): Promise<Array<Pick<MailMessage, 'toAddress' | 'subject' | 'status' | 'createdAt' | 'sentAt'>>> {
    return manager
      .getRepository(MailMessage)
      .createQueryBuilder('m')
      .select(['m.toAddress', 'm.subject', 'm.status', 'm.createdAt', 'm.sentAt'])
      .where('m.user_ids @> ARRAY[:userId]::uuid[]', { userId })
      .orderBy('m.createdAt', 'ASC')
      .getMany();
  }

  /** The stored message of this idempotency key: inserted now, or the one stored before. */
  private async store(mail: OutgoingMail): Promise<MailMessage> {
    await this.messages
      .createQueryBuilder()
      .insert()
      .values({ idempotencyKey: mail.idempotencyKey, toAddress: mail.to, userIds: mail.userIds, subject: mail.subject, textBody: mail.text, htmlBody: mail.html ?? null })
      .orIgnore()
      .execute();
    return this.messages.findOneByOrFail({ idempotencyKey: mail.idempotencyKey });
  }

  private async transmit(mail: MailMessage): Promise<void> {
    if (!this.transport) {
      await this.messages.update(mail.id, { status: 'outbox', sentAt: new Date() });
      this.logger.log(`mail ${mail.id} kept in outbox (no SMTP_URL) to=${maskAddress(mail.toAddress)}`);
      return;
    }
    const info = (await this.transport.sendMail({
      from: this.config.mail.from,
      to: mail.toAddress,
      subject: mail.subject,
      text: mail.textBody,
      html: mail.htmlBody ?? undefined,
      messageId: `<${mail.id}@haven>`,
    })) as { messageId?: string };
    // Between the server's acceptance and this record, a process that dies sends the message again on
    // retry (same Message-ID): the window cannot be closed (RFC 1047), only kept short. `sent_at` is the
    // database's clock when the record ran, so bench/alarms.ts can measure that window.
    await this.messages.update(mail.id, { status: 'sent', sentAt: () => 'clock_timestamp()', providerMessageId: info.messageId ?? null });
    this.logger.log(`mail ${mail.id} sent to=${maskAddress(mail.toAddress)}`);
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
