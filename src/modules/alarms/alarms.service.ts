import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { hasPermission, Permission } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { AppConfig } from 'src/config/app-config';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { AuditService } from 'src/modules/audit/audit.service';
import { CareTeamService } from 'src/modules/care-team/care-team.service';
import { CareScope } from 'src/modules/care-team/care-team.types';
import { AlarmPlanService } from 'src/modules/ptsd/alarm-plan.service';
import { AlarmPlan } from 'src/modules/ptsd/ptsd.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { AlarmDeliveriesService, toDeliveryDto } from './alarm-deliveries.service';
import { FALLBACK_MESSAGES } from './alarm-texts';
import {
  AdminAlarmListQueryDto,
  AlarmDeliveryDto,
  AlarmDto,
  AlarmListQueryDto,
  AlarmLocationDto,
  AlarmTriggerResultDto,
  ResolveAlarmDto,
  TriggerAlarmDto,
} from './alarms.dto';
import { AlarmStatus, DeliveryChannel, DeliveryPurpose, DeliveryRecipient, DeliveryStatus } from './alarms.types';
import { AlarmDelivery } from './entities/alarm-delivery.entity';
import { Alarm } from './entities/alarm.entity';
import { ArchiveSection } from 'src/modules/users/personal-data';

/** Sorting of alarm lists. */
export const ALARMS_ORDERING = {
  orderable: { triggered_at: 'a.triggeredAt' },
  defaultOrdering: '-triggered_at',
} satisfies ListOrdering;

const notFound = (): AppException => new AppException('ALARMS.NOT_FOUND', 'No such alarm.');

/** The scenario an alarm follows: the user's, the catalogue's default, or (catalogue empty) alert everyone with the standard text. */
interface EffectiveScenario {
  id: string | null;
  name: string | null;
  playMusic: boolean;
  notifyContacts: boolean;
  notifyTherapist: boolean;
  messages: { en: string; ru?: string };
}

/** A delivery row to insert. */
type PlannedDelivery = Partial<AlarmDelivery> & { id: string; status: DeliveryStatus };

const SENT_STATUSES = new Set([DeliveryStatus.Sent, DeliveryStatus.Acknowledged]);

/**
 * Alarms: the trigger answers at once with what will happen, the deliveries run as jobs
 * (AlarmDeliveriesService). One alarm per press: a repeated client request id, or a press
 * while the user's alarm is still open within the repeat window, returns the open alarm;
 * presses of one user take turns on a transaction-scoped advisory lock, so concurrent
 * retries cannot both create one.
 */
@Injectable()
export class AlarmsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Alarm) private readonly alarms: Repository<Alarm>,
    @InjectRepository(AlarmDelivery) private readonly deliveryRows: Repository<AlarmDelivery>,
    private readonly config: AppConfig,
    private readonly plans: AlarmPlanService,
    private readonly deliveries: AlarmDeliveriesService,
    private readonly directory: UserDirectoryService,
    private readonly careTeam: CareTeamService,
    private readonly cipher: FieldEncryptionService,
    private readonly realtime: RealtimeServer,
    private readonly audit: AuditService,
  ) {}

  /** The user's alarms with their deliveries and results (locations decrypted), for their archive. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const alarms = await manager.find(Alarm, { where: { userId }, order: { triggeredAt: 'ASC', id: 'ASC' } });
    return alarms.length ? { alarms: await this.toDtos(alarms) } : null;
  }

  async trigger(principal: Principal, dto: TriggerAlarmDto, context: RequestContext): Promise<AlarmTriggerResultDto> {
    const plan = await this.plans.planFor(principal.userId);
    const scenario = effectiveScenario(plan);
    // Read before the transaction: the embedded database runs one transaction at a time, and a read outside it would wait for it.
    const therapistEmail = plan.therapist?.kind === 'platform' ? await this.directory.activeEmail(plan.therapist.userId) : null;
    const outcome = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('alarm:' || $1, 0))`, [principal.userId]);
      const open = await this.repeatOf(principal.userId, dto.client_request_id ?? null, manager);
      if (open) return { alarm: open, created: [] as PlannedDelivery[], lines: null };
      const alarm = manager.create(Alarm, {
        id: randomUUID(),
        userId: principal.userId,
        status: AlarmStatus.Open,
        clientRequestId: dto.client_request_id ?? null,
        scenarioId: scenario.id,
        scenarioName: scenario.name,
        playMusic: scenario.playMusic && plan.track !== null,
        trackName: plan.track?.name ?? null,
        trackUrl: plan.track?.url ?? null,
        messageEn: scenario.messages.en,
        messageRu: scenario.messages.ru ?? null,
        locationEncrypted: null,
      });
      if (dto.location && Object.keys(dto.location).length > 0) alarm.locationEncrypted = this.cipher.encrypt(JSON.stringify(dto.location), `alarm:${alarm.id}`);
      await manager.insert(Alarm, alarm);
      const { planned, lines } = await this.planDeliveries(alarm, plan, scenario, therapistEmail, manager);
      if (planned.length > 0) await manager.insert(AlarmDelivery, planned);
      await this.audit.record({ action: 'alarm.triggered', actorId: principal.userId, targetType: 'alarm', targetId: alarm.id }, context, manager);
      return { alarm, created: planned, lines };
    });
    const { alarm } = outcome;
    if (outcome.lines === null) {
      const [dtoOut] = await this.toDtos([alarm]);
      return { alarm: dtoOut, duplicate: true, play_music: alarm.playMusic, track: trackOf(alarm), messages: ['Your alarm is already active: the people below were alerted.', ...dtoOut.deliveries.map(describeDelivery)] };
    }
    await this.deliveries.dispatch(outcome.created.filter((p) => p.status === DeliveryStatus.Queued).map((p) => p.id));
    const person = await this.directory.find(principal.userId);
    if (person) {
      this.realtime.toStaff('alarm_raised', { alarm_id: alarm.id, user: { id: person.id, first_name: person.firstName, last_name: person.lastName }, triggered_at: alarm.triggeredAt.toISOString() });
    }
    // The insert filled in the generated columns (triggered_at): no need to read the alarm again.
    const [result] = await this.toDtos([alarm]);
    return { alarm: result, duplicate: false, play_music: alarm.playMusic, track: trackOf(alarm), messages: outcome.lines };
  }

  /** The user's alarms, newest first. */
  async listOwn(principal: Principal, query: AlarmListQueryDto): Promise<Paginated<AlarmDto>> {
    return this.page(this.alarms.createQueryBuilder('a').where('a.userId = :userId', { userId: principal.userId }), query);
  }

  /** A client's alarms, for a therapist they share alarms with (audited); otherwise a 404. */
  async listForCareTeam(viewer: Principal, clientId: string, query: AlarmListQueryDto, context: RequestContext): Promise<Paginated<AlarmDto>> {
    if (!(await this.careTeam.authorizeSharedRead(viewer, clientId, CareScope.Alarms, 'alarms', context))) throw notFound();
    return this.page(this.alarms.createQueryBuilder('a').where('a.userId = :clientId', { clientId }), query);
  }

  /** Every alarm, for staff: by user, status, or only those with failed deliveries. */
  async listAll(query: AdminAlarmListQueryDto): Promise<Paginated<AlarmDto>> {
    const builder = this.alarms.createQueryBuilder('a');
    if (query.user_id) builder.andWhere('a.userId = :userId', { userId: query.user_id });
    if (query.has_failures === true) {
      builder.andWhere(`EXISTS (SELECT 1 FROM alarm_deliveries d WHERE d.alarm_id = a.id AND d.status = :failed)`, { failed: DeliveryStatus.Failed });
    }
    return this.page(builder, query);
  }

  async get(principal: Principal, id: string, context: RequestContext): Promise<AlarmDto> {
    const [dto] = await this.toDtos([await this.visible(principal, id, context)]);
    return dto;
  }

  /** "I'm safe now": the person, a care-team therapist or staff close the alarm; optionally the emailed contacts hear the all-clear. */
  async resolve(principal: Principal, id: string, dto: ResolveAlarmDto, context: RequestContext): Promise<AlarmDto> {
    await this.visible(principal, id, context);
    const allClear: string[] = [];
    const alarm = await this.dataSource.transaction(async (manager) => {
      const locked = await manager.findOne(Alarm, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!locked) throw notFound();
      if (locked.status === AlarmStatus.Resolved) throw new AppException('ALARMS.ALREADY_RESOLVED', 'This alarm is already resolved.');
      locked.status = AlarmStatus.Resolved;
      locked.resolvedAt = new Date();
      locked.resolvedById = principal.userId;
      await manager.save(locked);
      if (dto.notify_contacts) allClear.push(...(await this.planAllClear(locked, manager)));
      await this.audit.record({ action: 'alarm.resolved', actorId: principal.userId, targetType: 'alarm', targetId: locked.id }, context, manager);
      return locked;
    });
    await this.deliveries.dispatch(allClear);
    const payload = { alarm_id: alarm.id, resolved_at: alarm.resolvedAt!.toISOString() };
    const inApp = await this.deliveryRows.find({ where: { alarmId: alarm.id, channel: DeliveryChannel.InApp }, select: { id: true, therapistUserId: true } });
    this.realtime.toUsers([alarm.userId, ...inApp.map((d) => d.therapistUserId!).filter(Boolean)], 'alarm_resolved', payload);
    this.realtime.toStaff('alarm_resolved', payload);
    const [result] = await this.toDtos([alarm]);
    return result;
  }

  /** Sends a delivery that failed for good again (after the mail server came back). The person or staff. */
  async retryDelivery(principal: Principal, alarmId: string, deliveryId: string, context: RequestContext): Promise<AlarmDeliveryDto> {
    const alarm = await this.visible(principal, alarmId, context);
    if (alarm.userId !== principal.userId && !hasPermission(principal, Permission.SafetyMonitor)) throw notFound();
    return this.deliveries.retry(alarm.id, deliveryId);
  }

  /**
   * The one rule of who sees an alarm: its person, staff who monitor safety, and a
   * therapist the person shares alarms with (audited). Anyone else: 404.
   */
  private async visible(principal: Principal, id: string, context: RequestContext): Promise<Alarm> {
    const alarm = await this.alarms.findOneBy({ id });
    if (!alarm) throw notFound();
    if (alarm.userId === principal.userId || hasPermission(principal, Permission.SafetyMonitor)) return alarm;
    if (await this.careTeam.authorizeSharedRead(principal, alarm.userId, CareScope.Alarms, `alarm ${alarm.id}`, context)) return alarm;
    throw notFound();
  }

  /** An alarm this press repeats: the same client request id, or the user's open alarm within the repeat window. */
  private async repeatOf(userId: string, clientRequestId: string | null, manager: EntityManager): Promise<Alarm | null> {
    if (clientRequestId) {
      const same = await manager.findOneBy(Alarm, { userId, clientRequestId });
      if (same) return same;
    }
    const windowSeconds = this.config.alarms.repeatWindowSeconds;
    if (windowSeconds === 0) return null;
    return manager
      .createQueryBuilder(Alarm, 'a')
      .where('a.userId = :userId AND a.status = :open', { userId, open: AlarmStatus.Open })
      .andWhere(`a.triggeredAt > now() - make_interval(secs => :windowSeconds)`, { windowSeconds })
      .orderBy('a.triggeredAt', 'DESC')
      .getOne();
  }

  /** One delivery per recipient and channel, and one line per recipient for the person. */
  private async planDeliveries(alarm: Alarm, plan: AlarmPlan, scenario: EffectiveScenario, therapistEmail: string | null, manager: EntityManager): Promise<{ planned: PlannedDelivery[]; lines: string[] }> {
    const planned: PlannedDelivery[] = [];
    const lines: string[] = [];
    const ackExpiresAt = new Date(Date.now() + this.config.alarms.ackLinkTtlHours * 3600_000);
    const base = { alarmId: alarm.id, purpose: DeliveryPurpose.Alarm, attempts: 0, ackExpiresAt };
    if (scenario.playMusic) {
      lines.push(plan.track ? `Playing your calming track: ${plan.track.name}.` : 'Choose a calming track in your profile to have it play when you raise an alarm.');
    }
    if (!scenario.notifyContacts) lines.push('Your alarm scenario does not notify your emergency contacts.');
    else if (plan.contacts.length === 0) lines.push('You have no emergency contacts yet, so nobody was emailed. Add one so someone can be alerted next time.');
    else {
      const recent = await this.recentEmailCounts(plan.contacts.map((c) => c.id), manager);
      for (const contact of plan.contacts) {
        const who = `Your ${contact.relationship} (${contact.name})`;
        if (!contact.email) {
          lines.push(`${who} has no email address, so they could not be notified. You can call them at ${contact.phone}.`);
          continue;
        }
        const capped = (recent.get(contact.id) ?? 0) >= this.config.alarms.contactEmailsPerHour;
        const id = randomUUID();
        planned.push({
          ...base,
          id,
          recipientKind: DeliveryRecipient.Contact,
          recipientKey: `contact:${contact.id}`,
            channel: DeliveryChannel.Email,
          contactId: contact.id,
          recipientName: contact.name,
          relationship: contact.relationship,
          addressEncrypted: this.cipher.encrypt(contact.email, `alarm-delivery:${id}`),
          language: contact.language,
          status: capped ? DeliveryStatus.Suppressed : DeliveryStatus.Queued,
          lastError: capped ? `hourly cap of ${this.config.alarms.contactEmailsPerHour} alarm emails reached` : null,
        });
        lines.push(
          capped
            ? `${who} was already emailed ${this.config.alarms.contactEmailsPerHour} times in the last hour, so no further email was sent. Call them if you can.`
            : `${who} is being notified by email.`,
        );
      }
    }
    const therapist = plan.therapist;
    if (!scenario.notifyTherapist) lines.push('Your alarm scenario does not notify your therapist.');
    else if (!therapist) lines.push('You have no therapist contact, so no therapist was notified.');
    else if (therapist.kind === 'external') {
      const id = randomUUID();
      planned.push({
        ...base,
        id,
        recipientKind: DeliveryRecipient.Therapist,
        recipientKey: 'therapist:external',
        channel: DeliveryChannel.Email,
        recipientName: therapist.name.slice(0, 100),
        relationship: 'therapist',
        addressEncrypted: this.cipher.encrypt(therapist.email, `alarm-delivery:${id}`),
        language: 'en',
        status: DeliveryStatus.Queued,
      });
      lines.push(`Your therapist (${therapist.name}) is being notified by email.`);
    } else {
      const email = therapistEmail;
      const common = { ...base, recipientKind: DeliveryRecipient.Therapist, recipientKey: `therapist:${therapist.userId}`, therapistUserId: therapist.userId, recipientName: therapist.name.slice(0, 100), relationship: 'therapist', language: 'en', status: DeliveryStatus.Queued };
      planned.push({ ...common, id: randomUUID(), channel: DeliveryChannel.InApp, addressEncrypted: null, ackExpiresAt: null });
      if (email) {
        const id = randomUUID();
        planned.push({ ...common, id, channel: DeliveryChannel.Email, addressEncrypted: this.cipher.encrypt(email, `alarm-delivery:${id}`) });
      }
      lines.push(`Your therapist (${therapist.name}) is being notified in Haven${email ? ' and by email' : ''}.`);
    }
    if (scenario.id === null) lines.push('No alarm scenario is set up, so the standard alarm message was used.');
    return { planned, lines };
  }

  /** Alarm emails each contact was sent (or is about to be) in the last hour: what the hourly cap counts. */
  private async recentEmailCounts(contactIds: string[], manager: EntityManager): Promise<Map<string, number>> {
    const rows = await manager
      .createQueryBuilder(AlarmDelivery, 'd')
      .select('d.contactId', 'contactId')
      .addSelect('count(*)::int', 'count')
      .where({ contactId: In(contactIds), purpose: DeliveryPurpose.Alarm, channel: DeliveryChannel.Email })
      .andWhere('d.status <> :suppressed', { suppressed: DeliveryStatus.Suppressed })
      .andWhere(`d.createdAt > now() - interval '1 hour'`)
      .groupBy('d.contactId')
      .getRawMany<{ contactId: string; count: number }>();
    return new Map(rows.map((r) => [r.contactId, Number(r.count)]));
  }

  /** All-clear emails to the contacts whose alarm email went out; returns the new deliveries' ids. */
  private async planAllClear(alarm: Alarm, manager: EntityManager): Promise<string[]> {
    const emailed = await manager.find(AlarmDelivery, {
      where: { alarmId: alarm.id, purpose: DeliveryPurpose.Alarm, channel: DeliveryChannel.Email, status: In([...SENT_STATUSES]) },
    });
    const rows = emailed.map((d) => {
      const id = randomUUID();
      const address = this.cipher.decrypt(d.addressEncrypted!, `alarm-delivery:${d.id}`);
      return {
        id,
        alarmId: alarm.id,
        purpose: DeliveryPurpose.AllClear,
        recipientKind: d.recipientKind,
        recipientKey: d.recipientKey,
        channel: DeliveryChannel.Email,
        contactId: d.contactId,
        therapistUserId: d.therapistUserId,
        recipientName: d.recipientName,
        relationship: d.relationship,
        addressEncrypted: this.cipher.encrypt(address, `alarm-delivery:${id}`),
        language: d.language,
        status: DeliveryStatus.Queued,
        attempts: 0,
        ackExpiresAt: null,
      };
    });
    if (rows.length > 0) await manager.insert(AlarmDelivery, rows);
    return rows.map((r) => r.id);
  }

  private async page(builder: ReturnType<Repository<Alarm>['createQueryBuilder']>, query: AlarmListQueryDto): Promise<Paginated<AlarmDto>> {
    if (query.status) builder.andWhere('a.status = :status', { status: query.status });
    const found = await paginate(builder, query, { ...ALARMS_ORDERING, dateColumn: 'a.triggeredAt', tieBreaker: 'a.id' });
    return new Paginated(await this.toDtos(found.items), found.count, found.page, found.pageSize);
  }

  private async toDtos(alarms: Alarm[]): Promise<AlarmDto[]> {
    const ids = alarms.map((a) => a.id);
    const rows = ids.length ? await this.deliveryRows.find({ where: { alarmId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } }) : [];
    const byAlarm = new Map<string, AlarmDelivery[]>();
    for (const row of rows) {
      const list = byAlarm.get(row.alarmId);
      if (list) list.push(row);
      else byAlarm.set(row.alarmId, [row]);
    }
    return alarms.map((a) => {
      const deliveries = byAlarm.get(a.id) ?? [];
      const alarmDeliveries = deliveries.filter((d) => d.purpose === DeliveryPurpose.Alarm);
      return {
        id: a.id,
        user_id: a.userId,
        status: a.status,
        client_request_id: a.clientRequestId,
        scenario: a.scenarioId ? { id: a.scenarioId, name: a.scenarioName ?? '' } : null,
        play_music: a.playMusic,
        track: trackOf(a),
        location: a.locationEncrypted ? (JSON.parse(this.cipher.decrypt(a.locationEncrypted, `alarm:${a.id}`)) as AlarmLocationDto) : null,
        deliveries: deliveries.map(toDeliveryDto),
        result: {
          music_played: a.playMusic,
          contacts_messaged: alarmDeliveries.some((d) => d.recipientKind === DeliveryRecipient.Contact && SENT_STATUSES.has(d.status)),
          therapist_notified: alarmDeliveries.some((d) => d.recipientKind === DeliveryRecipient.Therapist && SENT_STATUSES.has(d.status)),
          completed: a.status === AlarmStatus.Resolved,
        },
        triggered_at: a.triggeredAt.toISOString(),
        resolved_at: a.resolvedAt?.toISOString() ?? null,
      };
    });
  }
}

function effectiveScenario(plan: AlarmPlan): EffectiveScenario {
  if (plan.scenario) return plan.scenario;
  return { id: null, name: null, playMusic: true, notifyContacts: true, notifyTherapist: true, messages: FALLBACK_MESSAGES };
}

const trackOf = (alarm: Alarm): { name: string; url: string } | null =>
  alarm.playMusic && alarm.trackUrl ? { name: alarm.trackName ?? '', url: alarm.trackUrl } : null;

/** A line about a delivery of an alarm already raised (for a repeated press). */
function describeDelivery(d: AlarmDeliveryDto): string {
  const who = d.recipient_kind === DeliveryRecipient.Therapist ? `Your therapist (${d.recipient_name})` : `Your ${d.relationship ?? 'contact'} (${d.recipient_name})`;
  const via = d.channel === DeliveryChannel.InApp ? 'in Haven' : 'by email';
  return `${who}, ${via}: ${d.status}.`;
}

