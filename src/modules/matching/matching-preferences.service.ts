import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SessionType } from 'src/modules/providers/providers.types';
import { Repository } from 'typeorm';
import { MatchingPreferences } from './entities/matching-preferences.entity';
import { MatchScoringService } from './match-scoring.service';
import { MatchingPreferencesDto, MatchingPreferencesInputDto } from './matching.dto';

/** A client's matching preferences: preferred languages, topics (needs) and session types. */
@Injectable()
export class MatchingPreferencesService {
  constructor(
    @InjectRepository(MatchingPreferences) private readonly preferences: Repository<MatchingPreferences>,
    private readonly scoring: MatchScoringService,
  ) {}

  async get(userId: string): Promise<MatchingPreferencesDto> {
    return toDto(await this.preferences.findOneBy({ userId }));
  }

  /** Replaces the caller's preferences (a field left out becomes empty); their open matches are rescored, debounced. */
  async put(userId: string, dto: MatchingPreferencesInputDto): Promise<MatchingPreferencesDto> {
    await this.preferences.upsert(
      { userId, languages: dto.languages ?? [], topics: dto.topics ?? [], sessionTypes: dto.session_types ?? [], updatedAt: new Date() },
      ['userId'],
    );
    await this.scoring.profileChanged(userId);
    return this.get(userId);
  }
}

function toDto(row: MatchingPreferences | null): MatchingPreferencesDto {
  return {
    languages: row?.languages ?? [],
    topics: row?.topics ?? [],
    session_types: (row?.sessionTypes ?? []) as SessionType[],
    updated_at: row?.updatedAt.toISOString() ?? null,
  };
}
