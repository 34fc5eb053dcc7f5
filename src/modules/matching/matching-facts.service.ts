import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ProviderDto } from 'src/modules/providers/providers.dto';
import { ProviderProfilesService } from 'src/modules/providers/provider-profiles.service';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { PersonalityData } from 'src/modules/users/users.types';
import { In, Repository } from 'typeorm';
import { ClientFacts, ProviderFacts } from './compatibility';
import { MatchingPreferences } from './entities/matching-preferences.entity';

/**
 * The facts a score is computed from: personality data and matching preferences for
 * clients; personality data and the listed provider profile for providers.
 */
@Injectable()
export class MatchingFactsService {
  constructor(
    @InjectRepository(MatchingPreferences) private readonly preferences: Repository<MatchingPreferences>,
    private readonly users: UserDirectoryService,
    private readonly providers: ProviderProfilesService,
  ) {}

  /** Each client's facts; users without personality data or preferences get empty ones. */
  async clientFacts(userIds: string[]): Promise<Map<string, ClientFacts>> {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return new Map();
    const [personality, stored] = await Promise.all([this.users.personalityOf(ids), this.preferences.findBy({ userId: In(ids) })]);
    const preferences = new Map(stored.map((p) => [p.userId, p]));
    return new Map(
      ids.map((id) => {
        const p = preferences.get(id);
        return [id, { ...personalityFacts(personality.get(id)), languages: p?.languages ?? [], topics: p?.topics ?? [], sessionTypes: p?.sessionTypes ?? [] }];
      }),
    );
  }

  /** Each provider's facts; a provider without a listed profile has only their personality data. */
  async providerFacts(providerIds: string[]): Promise<Map<string, ProviderFacts>> {
    const ids = [...new Set(providerIds)];
    if (ids.length === 0) return new Map();
    const [personality, profiles] = await Promise.all([this.users.personalityOf(ids), Promise.all(ids.map((id) => this.listedProfile(id)))]);
    return new Map(ids.map((id, i) => [id, providerFacts(profiles[i], personality.get(id))]));
  }

  /** Provider facts from directory entries the caller already holds. */
  async providerFactsOf(profiles: ProviderDto[]): Promise<Map<string, ProviderFacts>> {
    const personality = await this.users.personalityOf(profiles.map((p) => p.id));
    return new Map(profiles.map((p) => [p.id, providerFacts(p, personality.get(p.id))]));
  }

  private async listedProfile(providerId: string): Promise<ProviderDto | null> {
    try {
      return await this.providers.get(providerId);
    } catch (error) {
      if (error instanceof AppException && error.code === 'PROVIDERS.NOT_FOUND') return null;
      throw error;
    }
  }
}

function personalityFacts(data: PersonalityData | null | undefined): Pick<ClientFacts, 'interests' | 'communicationStyle'> {
  return { interests: data?.interests ?? [], communicationStyle: data?.communication_style ?? null };
}

function providerFacts(profile: ProviderDto | null, personality: PersonalityData | null | undefined): ProviderFacts {
  return {
    ...personalityFacts(personality),
    languages: profile?.languages ?? [],
    specialties: profile?.specialties ?? [],
    sessionTypes: profile?.session_types ?? [],
  };
}
