import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { DataSource, EntityManager, In, LessThan, MoreThan, Repository } from 'typeorm';
import { covers, MINUTE_MS, minuteOfDay, normalize, slotsIn, subtract, timeOfDay, weeklyRanges } from './availability';
import { BusyTime } from './busy-time';
import { AvailabilityException } from './entities/availability-exception.entity';
import { AvailabilityRule } from './entities/availability-rule.entity';
import { ProviderProfile } from './entities/provider-profile.entity';
import {
  AvailabilityDto,
  AvailabilityExceptionDto,
  CreateAvailabilityExceptionDto,
  FREE_SLOTS_MAX_DAYS,
  FreeSlotsDto,
  FreeSlotsQueryDto,
  MAX_SLOTS,
  ReplaceWeeklyRulesDto,
  SLOT_STEP_MINUTES,
} from './providers.dto';
import { AvailabilityExceptionKind, SessionType, TimeRange } from './providers.types';
import { ProviderDirectory, requireProvider } from './provider-directory';

/** Sorting of a provider's exceptions. */
export const EXCEPTIONS_ORDERING = {
  orderable: { starts_at: 'e.startsAt', created_at: 'e.createdAt' },
  defaultOrdering: 'starts_at',
} satisfies ListOrdering;

const DAY_MS = 86_400_000;
const EXCEPTION_MAX_DAYS = 366;
const DEFAULT_SLOT_MINUTES = 60;
/** Windows stay within years the database and luxon both handle. */
const MIN_INSTANT = Date.UTC(2000, 0, 1);
const MAX_INSTANT = Date.UTC(9999, 0, 1);

/** A profile's availability inputs: its zone, buffer and id. */
type AvailabilityOwner = Pick<ProviderProfile, 'userId' | 'timeZone' | 'bufferMinutes'>;

/**
 * Weekly rules, dated exceptions and free slots. Rules are local times in the provider's
 * zone (luxon does the zone and DST math); free time is the rules plus extra hours, minus
 * time off, minus booked sessions (each widened by the buffer), all merged in one pass.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(AvailabilityRule) private readonly rules: Repository<AvailabilityRule>,
    @InjectRepository(AvailabilityException) private readonly exceptions: Repository<AvailabilityException>,
    private readonly busy: BusyTime,
    private readonly directory: ProviderDirectory,
  ) {}

  async weekly(principal: Principal): Promise<AvailabilityDto> {
    const profile = await this.ownProfile(principal);
    return this.toAvailabilityDto(profile, await this.rules.find({ where: { providerId: profile.userId } }));
  }

  /** Replaces every weekly rule at once; overlapping rules of one weekday are a 400. */
  async replaceWeekly(principal: Principal, dto: ReplaceWeeklyRulesDto): Promise<AvailabilityDto> {
    const profile = await this.ownProfile(principal);
    const rules = dto.rules.map((rule, index) => ({ index, weekday: rule.weekday, startMinute: minuteOfDay(rule.start_time), endMinute: minuteOfDay(rule.end_time) }));
    const errors: Record<string, string[]> = {};
    for (const rule of rules) {
      if (rule.endMinute <= rule.startMinute) errors[`rules.${rule.index}.end_time`] = ['end_time must be after start_time'];
    }
    const sorted = [...rules].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
    for (let i = 1; i < sorted.length; i++) {
      const [previous, rule] = [sorted[i - 1], sorted[i]];
      if (previous.weekday === rule.weekday && rule.startMinute < previous.endMinute) {
        errors[`rules.${rule.index}`] = [`overlaps rule ${previous.index} on weekday ${rule.weekday}`];
      }
    }
    if (Object.keys(errors).length > 0) throw new AppException('COMMON.VALIDATION_FAILED', 'The weekly rules are not valid.', errors);
    const saved = await this.dataSource.transaction(async (manager) => {
      await manager.delete(AvailabilityRule, { providerId: profile.userId });
      if (rules.length === 0) return [];
      return manager.save(rules.map((r) => manager.create(AvailabilityRule, { providerId: profile.userId, weekday: r.weekday, startMinute: r.startMinute, endMinute: r.endMinute })));
    });
    return this.toAvailabilityDto(profile, saved);
  }

  async addException(principal: Principal, dto: CreateAvailabilityExceptionDto): Promise<AvailabilityExceptionDto> {
    const profile = await this.ownProfile(principal);
    const startsAt = new Date(dto.starts_at);
    const endsAt = new Date(dto.ends_at);
    if (endsAt <= startsAt) throw AppException.validation('ends_at', 'ends_at must be after starts_at');
    if (endsAt.getTime() - startsAt.getTime() > EXCEPTION_MAX_DAYS * DAY_MS) throw AppException.validation('ends_at', `an exception lasts at most ${EXCEPTION_MAX_DAYS} days`);
    const saved = await this.exceptions.save(this.exceptions.create({ providerId: profile.userId, kind: dto.kind, startsAt, endsAt }));
    return toExceptionDto(saved);
  }

  async listExceptions(principal: Principal, query: PaginationQueryDto): Promise<Paginated<AvailabilityExceptionDto>> {
    const profile = await this.ownProfile(principal);
    const builder = this.exceptions.createQueryBuilder('e').where('e.providerId = :id', { id: profile.userId });
    const page = await paginate(builder, query, { ...EXCEPTIONS_ORDERING, dateColumn: 'e.startsAt', tieBreaker: 'e.id' });
    return page.map(toExceptionDto);
  }

  async deleteException(principal: Principal, id: string): Promise<void> {
    requireProvider(principal);
    const result = await this.exceptions.delete({ id, providerId: principal.userId });
    if (!result.affected) throw new AppException('PROVIDERS.EXCEPTION_NOT_FOUND', 'Exception not found.');
  }

  /** A listed provider's free slots in a window: never in the past, on the quarter-hour grid. */
  async freeSlots(providerId: string, query: FreeSlotsQueryDto): Promise<FreeSlotsDto> {
    checkWindow(query.from, query.to, 'from', 'to');
    const profile = await this.directory.listedProfile(providerId);
    if (!profile) throw new AppException('PROVIDERS.NOT_FOUND', 'Provider not found.');
    if (query.type && priceOf(profile, query.type) === null) throw new AppException('PROVIDERS.TYPE_NOT_OFFERED', `This provider does not offer ${query.type} sessions.`);
    const duration = query.duration_minutes ?? DEFAULT_SLOT_MINUTES;
    const free = (await this.freeRanges([profile], query.from.getTime(), query.to.getTime())).get(profile.userId) ?? [];
    const slots = slotsIn(free, duration * MINUTE_MS, SLOT_STEP_MINUTES * MINUTE_MS, Date.now(), MAX_SLOTS);
    return {
      provider_id: profile.userId,
      time_zone: profile.timeZone,
      duration_minutes: duration,
      slots: slots.map((s) => ({
        starts_at: new Date(s.start).toISOString(),
        ends_at: new Date(s.end).toISOString(),
        local_starts_at: DateTime.fromMillis(s.start, { zone: profile.timeZone }).toISO() ?? '',
      })),
    };
  }

  /** Of these profiles, the ids with at least one free slot of `durationMinutes` in [from, to) (from now on). */
  async withFreeSlot(profiles: AvailabilityOwner[], from: Date, to: Date, durationMinutes: number): Promise<Set<string>> {
    const free = await this.freeRanges(profiles, from.getTime(), to.getTime());
    const found = new Set<string>();
    for (const [id, ranges] of free) {
      if (slotsIn(ranges, durationMinutes * MINUTE_MS, SLOT_STEP_MINUTES * MINUTE_MS, Date.now(), 1).length > 0) found.add(id);
    }
    return found;
  }

  /**
   * Whether [start, end) lies inside the provider's availability (weekly rules and extra
   * hours, minus time off). Booked sessions are not looked at: the database's exclusion
   * constraint refuses a taken slot when the session is written.
   */
  async covers(profile: AvailabilityOwner, start: Date, end: Date, manager?: EntityManager): Promise<boolean> {
    const available = await this.availableRanges([profile], start.getTime(), end.getTime(), manager);
    return covers(available.get(profile.userId) ?? [], start.getTime(), end.getTime());
  }

  /** Window validation shared with the directory filter: both ends, in order, at most FREE_SLOTS_MAX_DAYS apart. */
  static checkWindow = checkWindow;

  private async freeRanges(profiles: AvailabilityOwner[], from: number, to: number): Promise<Map<string, TimeRange[]>> {
    const available = await this.availableRanges(profiles, from, to);
    const maxBuffer = Math.max(0, ...profiles.map((p) => p.bufferMinutes));
    // A booking's busy range ends after its buffer; a new slot also keeps its own buffer before the next booking.
    const busy = await this.busy.ranges(
      profiles.map((p) => p.userId),
      new Date(from - 1),
      new Date(to + maxBuffer * MINUTE_MS),
    );
    const free = new Map<string, TimeRange[]>();
    for (const profile of profiles) {
      const buffer = profile.bufferMinutes * MINUTE_MS;
      const taken = normalize((busy.get(profile.userId) ?? []).map((b) => ({ start: b.start - buffer, end: b.end })));
      free.set(profile.userId, subtract(available.get(profile.userId) ?? [], taken));
    }
    return free;
  }

  /** Weekly rules plus extra hours minus time off, per profile, clipped to [from, to). */
  private async availableRanges(profiles: AvailabilityOwner[], from: number, to: number, manager?: EntityManager): Promise<Map<string, TimeRange[]>> {
    const ids = profiles.map((p) => p.userId);
    const rulesRepo = manager ? manager.getRepository(AvailabilityRule) : this.rules;
    const exceptionsRepo = manager ? manager.getRepository(AvailabilityException) : this.exceptions;
    const [rules, exceptions] = await Promise.all([
      rulesRepo.find({ where: { providerId: In(ids) } }),
      exceptionsRepo.find({ where: { providerId: In(ids), startsAt: LessThan(new Date(to)), endsAt: MoreThan(new Date(from)) } }),
    ]);
    const window = [{ start: from, end: to }];
    const result = new Map<string, TimeRange[]>();
    for (const profile of profiles) {
      const own = exceptions.filter((e) => e.providerId === profile.userId);
      const range = (e: AvailabilityException): TimeRange => ({ start: e.startsAt.getTime(), end: e.endsAt.getTime() });
      const weekly = weeklyRanges(rules.filter((r) => r.providerId === profile.userId), profile.timeZone, from, to);
      const withExtra = normalize([...weekly, ...own.filter((e) => e.kind === AvailabilityExceptionKind.Extra).map(range)]);
      const timeOff = normalize(own.filter((e) => e.kind === AvailabilityExceptionKind.TimeOff).map(range));
      const open = subtract(withExtra, timeOff);
      result.set(profile.userId, subtract(window, subtract(window, open)));
    }
    return result;
  }

  private async ownProfile(principal: Principal): Promise<ProviderProfile> {
    requireProvider(principal);
    const profile = await this.directory.profileOf(principal.userId);
    if (!profile) throw new AppException('PROVIDERS.PROFILE_REQUIRED', 'Create your provider profile first (PUT /api/v1/providers/me/profile).');
    return profile;
  }

  private toAvailabilityDto(profile: ProviderProfile, rules: AvailabilityRule[]): AvailabilityDto {
    return {
      time_zone: profile.timeZone,
      buffer_minutes: profile.bufferMinutes,
      rules: [...rules]
        .sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute)
        .map((r) => ({ weekday: r.weekday, start_time: timeOfDay(r.startMinute), end_time: timeOfDay(r.endMinute) })),
    };
  }
}

function checkWindow(from: Date | undefined, to: Date | undefined, fromName: string, toName: string): void {
  if (!from) throw AppException.validation(fromName, `${fromName} is required with ${toName}`);
  if (!to) throw AppException.validation(toName, `${toName} is required with ${fromName}`);
  if (from.getTime() < MIN_INSTANT || from.getTime() > MAX_INSTANT) throw AppException.validation(fromName, `${fromName} must be between the years 2000 and 9999`);
  if (to <= from) throw AppException.validation(toName, `${toName} must be after ${fromName}`);
  if (to.getTime() - from.getTime() > FREE_SLOTS_MAX_DAYS * DAY_MS) throw AppException.validation(toName, `${toName} must be at most ${FREE_SLOTS_MAX_DAYS} days after ${fromName}`);
}

/** The profile's price for a type in minor units; null when the type is not offered. */
export function priceOf(profile: Pick<ProviderProfile, 'priceTextMinor' | 'priceVoiceMinor' | 'priceVideoMinor'>, type: SessionType): number | null {
  if (type === SessionType.Text) return profile.priceTextMinor;
  if (type === SessionType.Voice) return profile.priceVoiceMinor;
  return profile.priceVideoMinor;
}

const toExceptionDto = (e: AvailabilityException): AvailabilityExceptionDto => ({
  id: e.id,
  kind: e.kind,
  starts_at: e.startsAt.toISOString(),
  ends_at: e.endsAt.toISOString(),
  created_at: e.createdAt.toISOString(),
});
