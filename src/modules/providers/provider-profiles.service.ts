import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PROVIDER_ROLES } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { ProfileChangeHooks } from 'src/modules/users/profile-change-hooks';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import type { User } from 'src/modules/users/user.entity';
import { UserCard, UserStatus } from 'src/modules/users/users.types';
import { EntityManager, Repository } from 'typeorm';
import { AvailabilityService, priceOf } from './availability.service';
import { ProviderProfile } from './entities/provider-profile.entity';
import { fromMinorUnits, toMinorUnits } from 'src/common/money/money';
import { ProviderDirectory, requireProvider } from './provider-directory';
import { ProviderDto, ProviderListQueryDto, UpsertProviderProfileDto } from './providers.dto';
import { BookableProvider, SESSION_TYPES, SessionType } from './providers.types';

/** Sorting of the provider directory. */
export const PROVIDERS_ORDERING = {
  orderable: { rating: 'p.ratingAverage', rating_count: 'p.ratingCount', joined_at: 'p.createdAt', first_name: 'u.firstName' },
  defaultOrdering: '-rating',
} satisfies ListOrdering;

/** The most candidates the directory's availability filter computes free time for in one request. */
const AVAILABILITY_FILTER_MAX_CANDIDATES = 2000;
const DEFAULT_FILTER_MINUTES = 60;

/** The profile column of each type's price. */
const PRICE_COLUMNS = new Map<SessionType, 'priceTextMinor' | 'priceVoiceMinor' | 'priceVideoMinor'>([
  [SessionType.Text, 'priceTextMinor'],
  [SessionType.Voice, 'priceVoiceMinor'],
  [SessionType.Video, 'priceVideoMinor'],
]);

/** Provider profiles and the public directory; the rating feedback maintains. */
@Injectable()
export class ProviderProfilesService {
  constructor(
    @InjectRepository(ProviderProfile) private readonly profiles: Repository<ProviderProfile>,
    private readonly users: UserDirectoryService,
    private readonly directory: ProviderDirectory,
    private readonly availability: AvailabilityService,
    private readonly profileChanges: ProfileChangeHooks,
  ) {}

  async mine(principal: Principal): Promise<ProviderDto> {
    requireProvider(principal);
    const [profile, user] = await Promise.all([this.directory.profileOf(principal.userId), this.users.find(principal.userId)]);
    if (!profile || !user) throw new AppException('PROVIDERS.NOT_FOUND', 'You have no provider profile yet.');
    return toProviderDto(profile, user);
  }

  /** Creates or replaces the caller's profile. Each offered type needs a price, and only offered types have one. */
  async upsertMine(principal: Principal, dto: UpsertProviderProfileDto): Promise<ProviderDto> {
    requireProvider(principal);
    const offered = new Set(dto.session_types);
    const prices = new Map<SessionType, number | null>();
    const errors: Record<string, string[]> = {};
    const given = new Map<SessionType, string | undefined>([
      [SessionType.Text, dto.prices.text],
      [SessionType.Voice, dto.prices.voice],
      [SessionType.Video, dto.prices.video],
    ]);
    for (const type of SESSION_TYPES) {
      const text = given.get(type);
      if (offered.has(type) && text === undefined) errors[`prices.${type}`] = [`prices.${type} is required: ${type} is in session_types`];
      else if (!offered.has(type) && text !== undefined) errors[`prices.${type}`] = [`prices.${type} must be left out: ${type} is not in session_types`];
      else if (text !== undefined) {
        const minor = toMinorUnits(text, dto.currency);
        if (minor === null) errors[`prices.${type}`] = [`prices.${type} has more decimals than ${dto.currency} allows`];
        prices.set(type, minor);
      }
    }
    if (Object.keys(errors).length > 0) throw AppException.invalidFields(errors);
    const existing = await this.directory.profileOf(principal.userId);
    const profile = this.profiles.create({
      ...(existing ?? {}),
      userId: principal.userId,
      bio: dto.bio?.trim() ?? '',
      specialties: dto.specialties ?? [],
      languages: dto.languages ?? [],
      priceTextMinor: prices.get(SessionType.Text) ?? null,
      priceVoiceMinor: prices.get(SessionType.Voice) ?? null,
      priceVideoMinor: prices.get(SessionType.Video) ?? null,
      currency: dto.currency,
      timeZone: dto.time_zone ?? existing?.timeZone ?? (await this.users.timeZone(principal.userId)),
      acceptingNewClients: dto.accepting_new_clients ?? true,
      bufferMinutes: dto.buffer_minutes ?? 0,
    });
    await this.profiles.save(profile);
    // Languages, specialties and session types feed matching scores.
    await this.profileChanges.changed(principal.userId);
    return this.mine(principal);
  }

  /** The public directory: listed providers only, with the seed's filters. */
  async list(query: ProviderListQueryDto): Promise<Paginated<ProviderDto>> {
    const builder = this.profiles.createQueryBuilder('p');
    this.users.joinUsers(builder, 'p.userId', 'u', 'p.user');
    builder.where('u.status = :active AND u.isVerified = true AND u.role IN (:...roles)', { active: UserStatus.Active, roles: [...PROVIDER_ROLES] });
    if (query.specialty) builder.andWhere(':specialty = ANY(p.specialties)', { specialty: query.specialty.trim().toLowerCase() });
    if (query.language) builder.andWhere(':language = ANY(p.languages)', { language: query.language });
    const columns = query.type ? [PRICE_COLUMNS.get(query.type)] : [...PRICE_COLUMNS.values()];
    if (query.type) builder.andWhere(`p.${PRICE_COLUMNS.get(query.type)} IS NOT NULL`);
    // Amounts compare in minor units of two decimals (the profiles' currencies are not converted).
    const min = query.price_min === undefined ? null : toMinorUnits(query.price_min, 'EUR');
    const max = query.price_max === undefined ? null : toMinorUnits(query.price_max, 'EUR');
    if (query.price_min !== undefined && min === null) throw AppException.validation('price_min', 'price_min has at most two decimals');
    if (query.price_max !== undefined && max === null) throw AppException.validation('price_max', 'price_max has at most two decimals');
    if (min !== null || max !== null) {
      const bound = (c: string | undefined): string =>
        [`p.${c} IS NOT NULL`, ...(min !== null ? [`p.${c} >= :min`] : []), ...(max !== null ? [`p.${c} <= :max`] : [])].join(' AND ');
      builder.andWhere(`(${columns.map((c) => `(${bound(c)})`).join(' OR ')})`, { min, max });
    }
    if (query.available_from || query.available_to) {
      AvailabilityService.checkWindow(query.available_from, query.available_to, 'available_from', 'available_to');
      const candidates = await builder.clone().orderBy('p.userId').take(AVAILABILITY_FILTER_MAX_CANDIDATES).getMany();
      const free = await this.availability.withFreeSlot(candidates, query.available_from!, query.available_to!, query.duration_minutes ?? DEFAULT_FILTER_MINUTES);
      if (free.size === 0) builder.andWhere('1 = 0');
      else builder.andWhere('p.userId IN (:...free)', { free: [...free] });
    }
    const page = await paginate(builder, query, {
      ...PROVIDERS_ORDERING,
      searchable: ['u.firstName', 'u.lastName', 'p.bio'],
      tieBreaker: 'p.userId',
    });
    return page.map((p) => toProviderDto(p, p.user as User));
  }

  async get(providerId: string): Promise<ProviderDto> {
    const listed = await this.directory.listed(providerId);
    if (!listed) throw new AppException('PROVIDERS.NOT_FOUND', 'Provider not found.');
    return toProviderDto(listed.profile, listed.user);
  }

  /**
   * Adds one feedback rating (1–5) to the provider's average and count, in the caller's
   * transaction; one statement, so concurrent ratings never lose one.
   */
  async recordRating(providerId: string, rating: number, manager: EntityManager): Promise<void> {
    await manager.query(
      // One statement: a concurrent rating waits on the row lock and re-reads it, so none is lost.
      `UPDATE provider_profiles
          SET rating_sum = rating_sum + $2, rating_count = rating_count + 1,
              rating_average = round((rating_sum + $2)::numeric / (rating_count + 1), 4)
        WHERE user_id = $1`,
      [providerId, rating],
    );
  }

  /** What booking needs: the listed provider's zone, buffer, prices and acceptance; null when not bookable. */
  async bookable(providerId: string): Promise<BookableProvider | null> {
    const listed = await this.directory.listed(providerId);
    if (!listed) return null;
    const { profile, user } = listed;
    const prices = new Map<SessionType, number>();
    for (const type of SESSION_TYPES) {
      const price = priceOf(profile, type);
      if (price !== null) prices.set(type, price);
    }
    return {
      userId: profile.userId,
      firstName: user.firstName,
      lastName: user.lastName,
      role: user.role,
      timeZone: profile.timeZone,
      acceptingNewClients: profile.acceptingNewClients,
      bufferMinutes: profile.bufferMinutes,
      currency: profile.currency,
      prices,
    };
  }
}

export function toProviderDto(profile: ProviderProfile, user: Pick<UserCard, 'id' | 'firstName' | 'lastName' | 'role'>): ProviderDto {
  const price = (type: SessionType): string | null => {
    const minor = priceOf(profile, type);
    return minor === null ? null : fromMinorUnits(minor, profile.currency);
  };
  return {
    id: profile.userId,
    first_name: user.firstName,
    last_name: user.lastName,
    role: user.role,
    bio: profile.bio,
    specialties: profile.specialties,
    languages: profile.languages,
    session_types: SESSION_TYPES.filter((t) => priceOf(profile, t) !== null),
    prices: { text: price(SessionType.Text), voice: price(SessionType.Voice), video: price(SessionType.Video) },
    currency: profile.currency,
    time_zone: profile.timeZone,
    accepting_new_clients: profile.acceptingNewClients,
    buffer_minutes: profile.bufferMinutes,
    rating_average: profile.ratingCount > 0 ? Math.round(Number(profile.ratingAverage) * 100) / 100 : null,
    rating_count: profile.ratingCount,
    updated_at: profile.updatedAt.toISOString(),
  };
}
