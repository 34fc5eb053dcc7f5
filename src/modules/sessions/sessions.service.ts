import { oneOfAliases } from 'src/common/validation/aliases';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { hasPermission, Permission } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { AppConfig } from 'src/config/app-config';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { violatedConstraint } from 'src/infrastructure/database/hot-queries.service';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { ChatMembershipService } from 'src/modules/chat/chat-membership.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { AvailabilityService } from 'src/modules/providers/availability.service';
import { BusyTime } from 'src/modules/providers/busy-time';
import { fromMinorUnits } from 'src/common/money/money';
import { MAX_BUFFER_MINUTES, SESSION_MAX_MINUTES } from 'src/modules/providers/providers.dto';
import { ProviderProfilesService } from 'src/modules/providers/provider-profiles.service';
import { BookableProvider, SessionType, TimeRange } from 'src/modules/providers/providers.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UserCard } from 'src/modules/users/users.types';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { CareSession, CLIENT_OVERLAP_CONSTRAINT, PROVIDER_BUSY_CONSTRAINT } from './entities/care-session.entity';
import { MeetingRooms } from './meeting-rooms';
import { SessionHooks } from './session-hooks';
import { BookSessionDto, CancelSessionQueryDto, RescheduleSessionDto, CareSessionDto, SessionListQueryDto, SessionPersonDto } from './sessions.dto';
import { SessionChangeKind, SessionCounts, SessionSnapshot, SessionStatus, WeekSessionCounts } from './sessions.types';
import { ArchiveSection, ERASED_NAME } from 'src/modules/users/personal-data';

/** Sorting of session lists. */
export const SESSIONS_ORDERING = {
  orderable: { scheduled_at: 's.startsAt', created_at: 's.createdAt' },
  defaultOrdering: 'scheduled_at',
} satisfies ListOrdering;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** The longest busy range: the longest session plus the largest buffer. */
const MAX_BUSY_MS = (SESSION_MAX_MINUTES + MAX_BUFFER_MINUTES) * MINUTE_MS;

const NOTIFICATION_TITLES = new Map<SessionChangeKind, string>([
  ['booked', 'New session booked'],
  ['rescheduled', 'Session rescheduled'],
  ['cancelled', 'Session cancelled'],
  ['completed', 'Session completed'],
  ['no_show', 'Session marked as no-show'],
]);

/**
 * Care sessions (HumanLink sessions, SafeTalk appointments): booking inside a provider's
 * availability, rescheduling, cancelling, completing. Double booking is refused by the
 * database (exclusion constraints), never by a read before the write; the violation is
 * mapped to SLOT_TAKEN or CLIENT_OVERLAP. Every change runs SessionHooks in its
 * transaction, then notifies the other side and emits `session_updated` to both.
 */
@Injectable()
export class SessionsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(CareSession) private readonly sessions: Repository<CareSession>,
    private readonly providers: ProviderProfilesService,
    private readonly availability: AvailabilityService,
    private readonly busyTime: BusyTime,
    private readonly chat: ChatMembershipService,
    private readonly notifications: NotificationsService,
    private readonly realtime: RealtimeServer,
    private readonly users: UserDirectoryService,
    private readonly cipher: FieldEncryptionService,
    private readonly meetings: MeetingRooms,
    private readonly hooks: SessionHooks,
    private readonly config: AppConfig,
  ) {}

  /** Every session the user had, as client or provider, with its texts decrypted, for their archive. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const sessions = await manager.find(CareSession, { where: [{ clientId: userId }, { providerId: userId }], order: { startsAt: 'ASC', id: 'ASC' } });
    return sessions.length ? { sessions: await this.toDtos(userId, sessions) } : null;
  }

  onModuleInit(): void {
    this.busyTime.provide((providerIds, from, to) => this.busyRanges(providerIds, from, to));
  }

  async book(principal: Principal, dto: BookSessionDto): Promise<CareSessionDto> {
    const providerId = oneOfAliases(
      [
        ['friend_id', dto.friend_id],
        ['provider_id', dto.provider_id],
        ['counselor_id', dto.counselor_id],
      ],
      'friend_id',
    );
    const startText = oneOfAliases(
      [
        ['scheduled_at', dto.scheduled_at],
        ['scheduled_date', dto.scheduled_date],
      ],
      'scheduled_at',
    );
    if (providerId === principal.userId) throw AppException.validation('friend_id', 'you cannot book a session with yourself');
    const provider = await this.bookableOrThrow(providerId);
    const price = provider.prices.get(dto.type);
    if (price === undefined) throw new AppException('SESSIONS.TYPE_NOT_OFFERED', `This provider does not offer ${dto.type} sessions.`);
    const range = await this.checkRange(provider, new Date(startText), dto.duration_minutes);
    if (!provider.acceptingNewClients && !(await this.hadSessionTogether(principal.userId, providerId))) {
      throw new AppException('SESSIONS.NOT_ACCEPTING_CLIENTS', 'This provider is not taking new clients.');
    }
    const id = randomUUID();
    const actor = await this.actor(principal.userId);
    const session = await this.writeMapped(async (manager) => {
      const created = manager.create(CareSession, {
        id,
        clientId: principal.userId,
        providerId,
        type: dto.type,
        status: SessionStatus.Upcoming,
        ...range,
        durationMinutes: dto.duration_minutes,
        bufferMinutes: provider.bufferMinutes,
        priceMinor: price,
        currency: provider.currency,
        title: dto.title?.trim() || null,
        descriptionEncrypted: dto.description ? this.cipher.encrypt(dto.description, fieldContext('description', id)) : null,
        notesEncrypted: dto.notes ? this.cipher.encrypt(dto.notes, fieldContext('notes', id)) : null,
        meetingRoom: dto.type === SessionType.Text ? null : this.meetings.newRoom(),
      });
      // The session first: a taken slot fails here, before any chat work, and rolls everything back.
      await manager.insert(CareSession, created);
      created.chatId = await this.chat.openDirectChat(principal.userId, providerId, manager);
      await manager.update(CareSession, id, { chatId: created.chatId });
      await this.announce('booked', created, actor, manager);
      return created;
    });
    await Promise.all([this.realtime.joinUserToChat(session.clientId, session.chatId!), this.realtime.joinUserToChat(session.providerId, session.chatId!)]);
    this.publish('booked', session);
    return this.get(principal, id);
  }

  /** Either side moves an upcoming session: same availability and overlap rules as booking. */
  async reschedule(principal: Principal, id: string, dto: RescheduleSessionDto): Promise<CareSessionDto> {
    const startText = dto.scheduled_at !== undefined || dto.scheduled_date !== undefined
      ? oneOfAliases([['scheduled_at', dto.scheduled_at], ['scheduled_date', dto.scheduled_date]], 'scheduled_at')
      : undefined;
    if (startText === undefined && dto.duration_minutes === undefined) throw AppException.validation('scheduled_at', 'send scheduled_at and/or duration_minutes');
    const session = await this.visibleOrThrow(principal, id, { participantOnly: true });
    if (session.status !== SessionStatus.Upcoming) throw notUpcoming();
    const provider = await this.bookableOrThrow(session.providerId);
    const duration = dto.duration_minutes ?? session.durationMinutes;
    const range = await this.checkRange(provider, startText === undefined ? session.startsAt : new Date(startText), duration);
    const previousStartsAt = session.startsAt;
    const actor = await this.actor(principal.userId);
    const updated = await this.writeMapped(async (manager) => {
      const result = await manager.update(
        CareSession,
        { id, status: SessionStatus.Upcoming },
        { ...range, durationMinutes: duration, bufferMinutes: provider.bufferMinutes },
      );
      if (!result.affected) throw notUpcoming();
      const changed = Object.assign(session, range, { durationMinutes: duration, bufferMinutes: provider.bufferMinutes });
      await this.announce('rescheduled', changed, actor, manager, previousStartsAt);
      return changed;
    });
    this.publish('rescheduled', updated);
    return this.get(principal, id);
  }

  /**
   * Cancels an upcoming session (either side, or staff overseeing sessions). Allowed at any
   * time before it is closed; within config.sessions.cancelNoticeHours of the start it is
   * recorded as a late cancellation.
   */
  async cancel(principal: Principal, id: string, query: CancelSessionQueryDto): Promise<CareSessionDto> {
    const session = await this.visibleOrThrow(principal, id);
    if (session.status !== SessionStatus.Upcoming) throw notUpcoming();
    const now = new Date();
    const late = session.startsAt.getTime() - now.getTime() < this.config.sessions.cancelNoticeHours * HOUR_MS;
    const reason = query.reason?.trim();
    await this.close(session, principal.userId, 'cancelled', {
      status: SessionStatus.Cancelled,
      cancelledById: principal.userId,
      cancelReasonEncrypted: reason ? this.cipher.encrypt(reason, fieldContext('cancel_reason', id)) : null,
      lateCancellation: late,
      closedAt: now,
    });
    return this.get(principal, id);
  }

  /**
   * Erasure of one of a session's people: their upcoming sessions are cancelled (hooks run, the
   * other side is told "a deleted account" cancelled), and the texts of all their sessions removed.
   */
  async eraseParty(userId: string, manager: EntityManager): Promise<void> {
    const upcoming = await manager
      .getRepository(CareSession)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('(s.clientId = :userId OR s.providerId = :userId) AND s.status = :upcoming', { userId, upcoming: SessionStatus.Upcoming })
      .getMany();
    const now = new Date();
    for (const session of upcoming) {
      const changes: Partial<CareSession> = { status: SessionStatus.Cancelled, cancelledById: userId, cancelReasonEncrypted: null, lateCancellation: false, closedAt: now };
      await manager.update(CareSession, { id: session.id }, changes);
      Object.assign(session, changes);
      await this.announce('cancelled', session, { id: userId, name: ERASED_NAME }, manager);
    }
    await manager
      .createQueryBuilder()
      .update(CareSession)
      .set({ descriptionEncrypted: null, notesEncrypted: null, cancelReasonEncrypted: null })
      .where('client_id = :userId OR provider_id = :userId', { userId })
      .execute();
  }

  /** The provider closes a session that has started as completed. */
  complete(principal: Principal, id: string): Promise<CareSessionDto> {
    return this.finish(principal, id, SessionStatus.Completed, 'completed');
  }

  /** The provider marks a session that has started as a no-show. */
  noShow(principal: Principal, id: string): Promise<CareSessionDto> {
    return this.finish(principal, id, SessionStatus.NoShow, 'no_show');
  }

  async get(principal: Principal, id: string): Promise<CareSessionDto> {
    const session = await this.visibleOrThrow(principal, id);
    return (await this.toDtos(principal.userId, [session]))[0];
  }

  /** The caller's sessions as client or provider (every session for staff overseeing sessions), with the seeds' filters. */
  async list(principal: Principal, query: SessionListQueryDto): Promise<Paginated<CareSessionDto>> {
    const builder = this.sessions.createQueryBuilder('s');
    if (hasPermission(principal, Permission.SessionsOversee)) builder.where('TRUE');
    else builder.where('(s.clientId = :me OR s.providerId = :me)', { me: principal.userId });
    if (query.type) builder.andWhere('s.type = :type', { type: query.type });
    if (query.status) builder.andWhere('s.status = :status', { status: query.status });
    if (query.when === 'upcoming') builder.andWhere('s.status = :upcoming AND s.endsAt > now()', { upcoming: SessionStatus.Upcoming });
    if (query.when === 'past') builder.andWhere('NOT (s.status = :upcoming AND s.endsAt > now())', { upcoming: SessionStatus.Upcoming });
    const page = await paginate(builder, query, { ...SESSIONS_ORDERING, dateColumn: 's.startsAt', tieBreaker: 's.id' });
    return new Paginated(await this.toDtos(principal.userId, page.items), page.count, page.page, page.pageSize);
  }

  /** A user's session counts, as client or provider (SafeTalk's total_appointments, completed_appointments). */
  async countsFor(userId: string): Promise<SessionCounts> {
    const [row] = await this.dataSource.query<Array<{ total: number; completed: number }>>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = $2)::int AS completed
         FROM care_sessions WHERE client_id = $1 OR provider_id = $1`,
      [userId, SessionStatus.Completed],
    );
    return { total: row?.total ?? 0, completed: row?.completed ?? 0 };
  }

  /**
   * Sessions starting this week, by status (the operations dashboard). The week is the ISO
   * week in UTC that `now` falls in: Monday 00:00 UTC up to the next Monday 00:00 UTC. One
   * statement, a range read of ix_care_sessions_starts.
   */
  async weekCounts(now: Date = new Date()): Promise<WeekSessionCounts> {
    const weekStart = isoWeekStart(now);
    const weekEnd = new Date(weekStart.getTime() + 7 * 86_400_000);
    const rows = await this.dataSource.query<Array<{ status: SessionStatus; count: number }>>(
      `SELECT status, count(*)::int AS count FROM care_sessions WHERE starts_at >= $1 AND starts_at < $2 GROUP BY status`,
      [weekStart, weekEnd],
    );
    return { weekStart, weekEnd, counts: new Map(rows.map((row) => [row.status, row.count])) };
  }

  /** The session `clientId` booked, for feedback (which checks its status); null when there is none. */
  async sessionForFeedback(sessionId: string, clientId: string, manager?: EntityManager): Promise<SessionSnapshot | null> {
    const session = await (manager ?? this.dataSource.manager).findOneBy(CareSession, { id: sessionId, clientId });
    return session ? snapshot(session) : null;
  }

  /**
   * Booked time per provider overlapping [from, to): upcoming sessions up to their busy end.
   * Only the window's rows, read by start from the partial index (a session's busy range is
   * at most MAX_BUSY_MS long, so earlier starts cannot reach the window).
   */
  private async busyRanges(providerIds: string[], from: Date, to: Date): Promise<Map<string, TimeRange[]>> {
    const rows = await this.dataSource.query<Array<{ provider_id: string; starts_at: Date; busy_until: Date }>>(
      `SELECT provider_id, starts_at, busy_until FROM care_sessions
        WHERE provider_id = ANY($1::uuid[]) AND status = 'upcoming' AND starts_at > $2 AND starts_at < $3 AND busy_until > $4
        ORDER BY provider_id, starts_at`,
      [providerIds, new Date(from.getTime() - MAX_BUSY_MS), to, from],
    );
    const ranges = new Map<string, TimeRange[]>();
    for (const row of rows) {
      const list = ranges.get(row.provider_id) ?? [];
      list.push({ start: new Date(row.starts_at).getTime(), end: new Date(row.busy_until).getTime() });
      ranges.set(row.provider_id, list);
    }
    return ranges;
  }

  private async finish(principal: Principal, id: string, status: SessionStatus, kind: SessionChangeKind): Promise<CareSessionDto> {
    const session = await this.visibleOrThrow(principal, id, { participantOnly: true });
    if (session.providerId !== principal.userId) throw new AppException('SESSIONS.PROVIDER_ONLY', 'Only the provider of the session can do this.');
    if (session.status !== SessionStatus.Upcoming) throw notUpcoming();
    if (session.startsAt.getTime() > Date.now()) throw new AppException('SESSIONS.NOT_STARTED', 'The session has not started yet.');
    await this.close(session, principal.userId, kind, { status, closedAt: new Date() });
    return this.get(principal, id);
  }

  /** Moves an upcoming session to a final status, only if it is still upcoming (a concurrent change wins otherwise). */
  private async close(session: CareSession, actorId: string, kind: SessionChangeKind, changes: Partial<CareSession>): Promise<void> {
    const actor = await this.actor(actorId);
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.update(CareSession, { id: session.id, status: SessionStatus.Upcoming }, changes);
      if (!result.affected) throw notUpcoming();
      Object.assign(session, changes);
      await this.announce(kind, session, actor, manager);
    });
    this.publish(kind, session);
  }

  /** Runs a write in a transaction; the exclusion constraints' violations become their codes. */
  private async writeMapped<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      const constraint = violatedConstraint(error);
      if (constraint === PROVIDER_BUSY_CONSTRAINT) throw new AppException('SESSIONS.SLOT_TAKEN', 'This time is no longer free with this provider.');
      if (constraint === CLIENT_OVERLAP_CONSTRAINT) throw new AppException('SESSIONS.CLIENT_OVERLAP', 'You already have a session at this time.');
      throw error;
    }
  }

  private async bookableOrThrow(providerId: string): Promise<BookableProvider> {
    const provider = await this.providers.bookable(providerId);
    if (!provider) throw new AppException('SESSIONS.PROVIDER_NOT_FOUND', 'Provider not found.');
    return provider;
  }

  /** The session's time columns, when it starts in the future and lies inside the provider's availability. */
  private async checkRange(provider: BookableProvider, start: Date, durationMinutes: number): Promise<Pick<CareSession, 'startsAt' | 'endsAt' | 'busyUntil'>> {
    if (start.getTime() <= Date.now()) throw new AppException('SESSIONS.IN_PAST', 'A session must start in the future.');
    const end = new Date(start.getTime() + durationMinutes * MINUTE_MS);
    if (!(await this.availability.covers(provider, start, end))) {
      throw new AppException('SESSIONS.OUTSIDE_AVAILABILITY', 'This time is outside the provider’s availability; see GET /api/v1/providers/{id}/free-slots.');
    }
    return { startsAt: start, endsAt: end, busyUntil: new Date(end.getTime() + provider.bufferMinutes * MINUTE_MS) };
  }

  private hadSessionTogether(clientId: string, providerId: string): Promise<boolean> {
    return this.sessions.exists({ where: { clientId, providerId } });
  }

  /**
   * The session when the caller is one of its two people, or staff overseeing sessions
   * (unless `participantOnly`); a 404 otherwise, exactly like a missing id.
   */
  private async visibleOrThrow(principal: Principal, id: string, options: { participantOnly?: boolean } = {}): Promise<CareSession> {
    const session = await this.sessions.findOneBy({ id });
    const participant = session && (session.clientId === principal.userId || session.providerId === principal.userId);
    const overseer = !options.participantOnly && hasPermission(principal, Permission.SessionsOversee);
    if (!session || (!participant && !overseer)) throw new AppException('SESSIONS.NOT_FOUND', 'Session not found.');
    return session;
  }

  /** In the change's transaction: the hooks (reminders), and a notification to the other side (staff acting: both). */
  private async announce(kind: SessionChangeKind, session: CareSession, actor: Actor, manager: EntityManager, previousStartsAt?: Date): Promise<void> {
    await this.hooks.run({ kind, session: snapshot(session), previousStartsAt }, manager);
    const recipients = [session.clientId, session.providerId].filter((id) => id !== actor.id);
    const when = `${session.startsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    await this.notifications.notifyUsers(
      recipients,
      {
        title: NOTIFICATION_TITLES.get(kind) ?? 'Session updated',
        message: `${actor.name}: ${session.type} session on ${when} (${kind.replace('_', '-')}).`,
        type: NotificationType.Session,
        relatedId: session.id,
      },
      manager,
    );
  }

  /** Who acts, for the notification text; read before the transaction (the embedded database runs one at a time). */
  private async actor(userId: string): Promise<Actor> {
    return { id: userId, name: (await this.users.displayName(userId)) || 'Someone' };
  }

  private publish(kind: SessionChangeKind, session: CareSession): void {
    this.realtime.toUsers([session.clientId, session.providerId], 'session_updated', {
      session_id: session.id,
      status: session.status,
      change: kind,
      scheduled_at: session.startsAt.toISOString(),
      duration_minutes: session.durationMinutes,
    });
  }

  /** Sessions as `viewerId` sees them: the texts only for its two people. */
  private async toDtos(viewerId: string, sessions: CareSession[]): Promise<CareSessionDto[]> {
    const cards = new Map((await this.users.findMany(sessions.flatMap((s) => [s.clientId, s.providerId]))).map((u) => [u.id, u]));
    return sessions.map((s) => {
      const participant = s.clientId === viewerId || s.providerId === viewerId;
      const reveal = (value: string | null, field: string): string | null => (participant && value ? this.cipher.decrypt(value, fieldContext(field, s.id)) : null);
      return {
        id: s.id,
        friend: person(cards.get(s.providerId), s.providerId),
        client: person(cards.get(s.clientId), s.clientId),
        type: s.type,
        status: s.status,
        scheduled_at: s.startsAt.toISOString(),
        scheduled_date: s.startsAt.toISOString(),
        ends_at: s.endsAt.toISOString(),
        duration_minutes: s.durationMinutes,
        price: fromMinorUnits(s.priceMinor, s.currency),
        currency: s.currency,
        title: s.title,
        description: reveal(s.descriptionEncrypted, 'description'),
        notes: reveal(s.notesEncrypted, 'notes'),
        join_url: participant && s.meetingRoom ? this.meetings.joinUrl(s.meetingRoom) : null,
        chat_id: s.chatId,
        late_cancellation: s.lateCancellation,
        cancel_reason: reveal(s.cancelReasonEncrypted, 'cancel_reason'),
        cancelled_by_id: s.cancelledById,
        closed_at: s.closedAt?.toISOString() ?? null,
        created_at: s.createdAt.toISOString(),
        updated_at: s.updatedAt.toISOString(),
      };
    });
  }
}

const fieldContext = (field: string, sessionId: string): string => `care_sessions.${field}:${sessionId}`;

interface Actor {
  id: string;
  name: string;
}

const notUpcoming = (): AppException => new AppException('SESSIONS.NOT_UPCOMING', 'Only an upcoming session can be changed.');

function person(card: UserCard | undefined, id: string): SessionPersonDto {
  const first = card?.firstName ?? '';
  const last = card?.lastName ?? '';
  return { id, first_name: first, last_name: last, name: `${first} ${last}`.trim(), role: card?.role ?? 'client' };
}

function snapshot(s: CareSession): SessionSnapshot {
  return { id: s.id, clientId: s.clientId, providerId: s.providerId, type: s.type, status: s.status, startsAt: s.startsAt, endsAt: s.endsAt, durationMinutes: s.durationMinutes };
}

/** Monday 00:00 UTC of the ISO week that `now` falls in. */
export function isoWeekStart(now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}
