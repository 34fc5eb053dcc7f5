import { Injectable } from '@nestjs/common';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UserCard } from 'src/modules/users/users.types';
import { Match } from './entities/match.entity';
import { MatchDto, MatchPersonDto } from './matching.dto';
import { MatchChange } from './matching.events';

/** Turns match rows into MatchDto (with both people's names) and tells both sides about a change. */
@Injectable()
export class MatchViews {
  constructor(
    private readonly users: UserDirectoryService,
    private readonly realtime: RealtimeServer,
  ) {}

  async toDtos(matches: Match[]): Promise<MatchDto[]> {
    const cards = new Map((await this.users.findMany(matches.flatMap((m) => [m.clientId, m.providerId]))).map((c) => [c.id, c]));
    return matches.map((m) => ({
      id: m.id,
      friend: person(cards.get(m.providerId), m.providerId),
      client: person(cards.get(m.clientId), m.clientId),
      compatibility_score: m.score,
      reasons: m.reasons,
      status: m.status,
      created_by: m.createdById,
      scored_at: m.scoredAt?.toISOString() ?? null,
      created_at: m.createdAt.toISOString(),
      updated_at: m.updatedAt.toISOString(),
    }));
  }

  async toDto(match: Match): Promise<MatchDto> {
    return (await this.toDtos([match]))[0];
  }

  /** Pushes `match_updated` to the match's client and provider (call after the change committed). */
  publish(change: MatchChange, match: MatchDto): void {
    this.realtime.toUsers([match.client.id, match.friend.id], 'match_updated', { change, match });
  }
}

function person(card: UserCard | undefined, id: string): MatchPersonDto {
  const first = card?.firstName ?? '';
  const last = card?.lastName ?? '';
  return { id, first_name: first, last_name: last, name: `${first} ${last}`.trim(), role: card?.role ?? 'client' };
}
