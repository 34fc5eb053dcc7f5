import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { AppConfig } from 'src/config/app-config';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { safeErrorMessage } from 'src/infrastructure/logging/safe-error';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { JobHandler } from 'src/infrastructure/queue/job-handler.decorator';
import { JobPayloads } from 'src/infrastructure/queue/jobs';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource, In, LessThan, Repository } from 'typeorm';
import { AckLinks } from './ack-links';
import { AlarmPerson, emailTexts, fillPlaceholders, scenarioMessage } from './alarm-texts';
import type { AlarmDeliveryDto } from './alarms.dto';
import { AlarmStatus, DeliveryChannel, DeliveryPurpose, DeliveryStatus } from './alarms.types';
import { AlarmDelivery } from './entities/alarm-delivery.entity';
import { Alarm } from './entities/alarm.entity';

/** What the acknowledgement page shows: the outcome and, when the link was genuine, the first name of who raised the alarm. */
export type AckOutcome =
  | { kind: 'pending'; firstName: string }
  | { kind: 'acknowledged'; firstName: string }
  | { kind: 'already_used'; firstName: string }
  | { kind: 'expired' }
  | { kind: 'invalid' };

// A delivery still queued this long after it was created lost its job (a crash between commit and enqueue): queue it again.
const STALE_QUEUED_MS = 30_000;
const SWEEP_EVERY_MS = 60_000;
const MAX_ERROR_LENGTH = 500;
/** A delivery's email is keyed by the delivery: sending it again is a no-op while the mail row exists. */
const MAIL_KEY_PREFIX = 'alarm-delivery:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An error's message without addresses (SMTP answers often quote the recipient): it is stored and shown, never logged with them. */
const deliveryError = (error: unknown): string => safeErrorMessage(error).replace(/[^\s<>()"']+@[^\s<>()"']+/g, '[address]').slice(0, MAX_ERROR_LENGTH);

/**
 * Alarm deliveries: one job per delivery row on the alarms queue. The row is the
 * idempotency key: a job acts only while it is `queued`, the email is stored under the
 * delivery's id and sent in the job (never queued behind other mail), and `sent` is
 * recorded after the server accepted it. A job that dies between the server's acceptance
 * and that record sends again on retry, with the same Message-ID: for an alarm, a
 * duplicate is better than a loss.
 */
/** The accounts an alarm email is about: the person who raised it, and a Haven therapist it goes to. */
function alarmMailUsers(alarm: Alarm, delivery: AlarmDelivery): string[] {
  return delivery.therapistUserId ? [alarm.userId, delivery.therapistUserId] : [alarm.userId];
}

@Injectable()
export class AlarmDeliveriesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Alarms');
  private readonly links: AckLinks;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(AlarmDelivery) private readonly deliveries: Repository<AlarmDelivery>,
    private readonly config: AppConfig,
    private readonly queue: QueueService,
    private readonly mail: MailService,
    private readonly cipher: FieldEncryptionService,
    private readonly directory: UserDirectoryService,
    private readonly notifications: NotificationsService,
    private readonly realtime: RealtimeServer,
  ) {
    this.links = new AckLinks(config.encryption.current);
    // A delivery still queued may run again: its sent mail is what stops a second email, so retention keeps it.
    mail.retainWhile(MAIL_KEY_PREFIX, (keys) => this.queuedMailKeys(keys));
  }

  /** Of these mail keys, those whose delivery is still queued. */
  private async queuedMailKeys(keys: string[]): Promise<Set<string>> {
    const ids = keys.map((key) => key.slice(MAIL_KEY_PREFIX.length)).filter((id) => UUID.test(id));
    if (ids.length === 0) return new Set();
    const queued = await this.deliveries.find({ where: { id: In(ids), status: DeliveryStatus.Queued }, select: { id: true } });
    return new Set(queued.map((d) => `${MAIL_KEY_PREFIX}${d.id}`));
  }

  /** Queues the jobs of these deliveries (the job key is the delivery id: queuing twice runs once). */
  async dispatch(deliveryIds: string[]): Promise<void> {
    await Promise.all(deliveryIds.map((deliveryId) => this.queue.enqueue('alarm.deliver', { deliveryId }, { key: deliveryId })));
  }

  @JobHandler('alarm.deliver')
  async deliver({ deliveryId }: JobPayloads['alarm.deliver'], attempt: number): Promise<void> {
    const delivery = await this.deliveries.findOne({ where: { id: deliveryId }, relations: { alarm: true } });
    if (!delivery || delivery.status !== DeliveryStatus.Queued) return; // done before: a retry must not send twice
    const alarm = delivery.alarm!;
    const card = await this.directory.find(alarm.userId);
    const person: AlarmPerson = { firstName: card?.firstName || 'Someone', lastName: card?.lastName ?? '' };
    try {
      if (delivery.channel === DeliveryChannel.InApp) await this.alertInApp(delivery, alarm, person);
      else await this.email(delivery, alarm, person);
    } catch (error) {
      const final = attempt >= this.config.jobs.retry.attempts;
      const message = deliveryError(error);
      await this.deliveries.update(
        { id: delivery.id, status: DeliveryStatus.Queued },
        { attempts: () => 'attempts + 1', lastError: message, ...(final ? { status: DeliveryStatus.Failed } : {}) },
      );
      await this.announce(delivery.id, alarm.userId);
      // The queue retries with backoff; the message carries no address.
      throw new Error(`alarm delivery ${delivery.id} attempt ${attempt} failed: ${message}`);
    }
  }

  /** Queues a delivery that failed for good once more. */
  async retry(alarmId: string, deliveryId: string): Promise<AlarmDeliveryDto> {
    const delivery = await this.deliveries.findOne({ where: { id: deliveryId, alarmId }, relations: { alarm: true } });
    if (!delivery) throw new AppException('ALARMS.DELIVERY_NOT_FOUND', 'No such delivery.');
    const result = await this.deliveries.update({ id: delivery.id, status: DeliveryStatus.Failed }, { status: DeliveryStatus.Queued, lastError: null });
    if (!result.affected) throw new AppException('ALARMS.DELIVERY_NOT_FAILED', `Only a failed delivery can be retried; this one is ${delivery.status}.`);
    await this.queue.enqueue('alarm.deliver', { deliveryId }, { key: `${deliveryId}:retry:${Date.now()}` });
    return (await this.announce(delivery.id, delivery.alarm!.userId))!;
  }

  /** What a recipient's link shows before they confirm (GET: a mail scanner following links changes nothing). */
  async inspect(token: string): Promise<AckOutcome> {
    const found = await this.byToken(token);
    if ('kind' in found) return found;
    const firstName = await this.firstName(found.delivery);
    return found.delivery.status === DeliveryStatus.Acknowledged ? { kind: 'already_used', firstName } : { kind: 'pending', firstName };
  }

  /** The recipient confirms they have seen the alarm: once per link; the person sees it live. */
  async acknowledge(token: string): Promise<AckOutcome> {
    const found = await this.byToken(token);
    if ('kind' in found) return found;
    const { delivery } = found;
    const firstName = await this.firstName(delivery);
    const result = await this.deliveries.update(
      { id: delivery.id, status: In([DeliveryStatus.Sent, DeliveryStatus.Queued, DeliveryStatus.Failed]) },
      { status: DeliveryStatus.Acknowledged, acknowledgedAt: new Date() },
    );
    if (!result.affected) return { kind: 'already_used', firstName };
    await this.announce(delivery.id, delivery.alarm!.userId);
    return { kind: 'acknowledged', firstName };
  }

  onApplicationBootstrap(): void {
    if (!this.queue.runsJobs) return;
    this.sweepTimer = setInterval(() => void this.requeueStale(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
    void this.requeueStale();
  }

  onApplicationShutdown(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** Deliveries whose job was lost (the process died between the alarm's commit and queuing) are queued again. */
  async requeueStale(): Promise<number> {
    try {
      const stale = await this.deliveries.find({
        where: { status: DeliveryStatus.Queued, createdAt: LessThan(new Date(Date.now() - STALE_QUEUED_MS)) },
        select: { id: true },
        take: 1000,
      });
      await this.dispatch(stale.map((d) => d.id));
      return stale.length;
    } catch (error) {
      this.logger.warn(`re-queuing alarm deliveries failed: ${safeErrorMessage(error)}`);
      return 0;
    }
  }

  private async email(delivery: AlarmDelivery, alarm: Alarm, person: AlarmPerson): Promise<void> {
    const texts = emailTexts(delivery.language);
    const to = this.cipher.decrypt(delivery.addressEncrypted!, `alarm-delivery:${delivery.id}`);
    let subject: string;
    let text: string;
    if (delivery.purpose === DeliveryPurpose.AllClear) {
      subject = texts.allClearSubject(person.firstName);
      text = texts.allClearBody(person.firstName);
    } else {
      const message = fillPlaceholders(scenarioMessage({ en: alarm.messageEn, ru: alarm.messageRu ?? undefined }, delivery.language), person);
      subject = texts.alarmSubject(person.firstName);
      text = texts.alarmBody(`${message}${this.locationLine(alarm)}`, this.ackUrl(delivery), this.config.alarms.ackLinkTtlHours);
    }
    await this.mail.sendNow({ to, subject, text, idempotencyKey: `${MAIL_KEY_PREFIX}${delivery.id}`, userIds: alarmMailUsers(alarm, delivery) });
    await this.deliveries.update({ id: delivery.id, status: DeliveryStatus.Queued }, { status: DeliveryStatus.Sent, sentAt: new Date(), attempts: () => 'attempts + 1', lastError: null });
    await this.announce(delivery.id, alarm.userId);
  }

  /** A Haven therapist: a stored notification and a live event, written together with the delivery's `sent`. */
  private async alertInApp(delivery: AlarmDelivery, alarm: Alarm, person: AlarmPerson): Promise<void> {
    const sent = await this.dataSource.transaction(async (manager) => {
      const result = await manager.update(AlarmDelivery, { id: delivery.id, status: DeliveryStatus.Queued }, { status: DeliveryStatus.Sent, sentAt: new Date(), attempts: () => 'attempts + 1' });
      if (!result.affected) return false;
      await this.notifications.notifyUsers(
        [delivery.therapistUserId!],
        {
          title: 'Alarm raised',
          message: `${`${person.firstName} ${person.lastName}`.trim()} raised an alarm and may need you now.`,
          type: NotificationType.Alarm,
          relatedId: alarm.id,
        },
        manager,
      );
      return true;
    });
    if (!sent) return;
    if (alarm.status === AlarmStatus.Open) {
      this.realtime.toUsers([delivery.therapistUserId!], 'alarm_raised', {
        alarm_id: alarm.id,
        user: { id: alarm.userId, first_name: person.firstName, last_name: person.lastName },
        triggered_at: alarm.triggeredAt.toISOString(),
      });
    }
    await this.announce(delivery.id, alarm.userId);
  }

  /** Where they said they are, for the people they alert (never logged). */
  private locationLine(alarm: Alarm): string {
    if (!alarm.locationEncrypted) return '';
    const location = JSON.parse(this.cipher.decrypt(alarm.locationEncrypted, `alarm:${alarm.id}`)) as { latitude?: number; longitude?: number; text?: string };
    const parts: string[] = [];
    if (location.text) parts.push(location.text);
    if (location.latitude !== undefined && location.longitude !== undefined) {
      parts.push(`https://www.openstreetmap.org/?mlat=${location.latitude}&mlon=${location.longitude}#map=16/${location.latitude}/${location.longitude}`);
    }
    return parts.length ? `\n\nWhere they are: ${parts.join(' — ')}` : '';
  }

  private ackUrl(delivery: AlarmDelivery): string {
    const base = this.config.http.publicUrl ?? `http://localhost:${this.config.http.port}`;
    return `${base}/api/v1/alarm-acknowledgements/${this.links.sign({ deliveryId: delivery.id, expiresAt: delivery.ackExpiresAt! })}`;
  }

  private async byToken(token: string): Promise<AckOutcome | { delivery: AlarmDelivery }> {
    const claim = this.links.verify(token);
    if (!claim) return { kind: 'invalid' };
    const delivery = await this.deliveries.findOne({ where: { id: claim.deliveryId, purpose: DeliveryPurpose.Alarm, channel: DeliveryChannel.Email }, relations: { alarm: true } });
    // The token carries whole seconds: it must name this delivery's expiry exactly.
    if (!delivery || !delivery.ackExpiresAt || Math.floor(delivery.ackExpiresAt.getTime() / 1000) * 1000 !== claim.expiresAt.getTime()) return { kind: 'invalid' };
    if (claim.expiresAt.getTime() < Date.now()) return { kind: 'expired' };
    return { delivery };
  }

  private async firstName(delivery: AlarmDelivery): Promise<string> {
    const card = await this.directory.find(delivery.alarm!.userId);
    return card?.firstName || 'Someone';
  }

  /** Tells the person who raised the alarm (`userId`) that a delivery changed; returns the delivery as they see it. */
  private async announce(deliveryId: string, userId: string): Promise<AlarmDeliveryDto | null> {
    const delivery = await this.deliveries.findOneBy({ id: deliveryId });
    if (!delivery) return null;
    const dto = toDeliveryDto(delivery);
    this.realtime.toUsers([userId], 'alarm_delivery_updated', { alarm_id: delivery.alarmId, delivery: dto });
    return dto;
  }
}

export const toDeliveryDto = (d: AlarmDelivery): AlarmDeliveryDto => ({
  id: d.id,
  purpose: d.purpose,
  recipient_kind: d.recipientKind,
  channel: d.channel,
  recipient_name: d.recipientName,
  relationship: d.relationship,
  status: d.status,
  attempts: d.attempts,
  last_error: d.lastError,
  created_at: d.createdAt.toISOString(),
  sent_at: d.sentAt?.toISOString() ?? null,
  acknowledged_at: d.acknowledgedAt?.toISOString() ?? null,
});
