import { Injectable } from '@nestjs/common';
import { hasPermission, Permission, Role } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ProviderProfilesService } from 'src/modules/providers/provider-profiles.service';
import { ProviderDto, ProviderListQueryDto } from 'src/modules/providers/providers.dto';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UserStatus } from 'src/modules/users/users.types';
import { compatibility } from './compatibility';
import { MatchingFactsService } from './matching-facts.service';
import { SUGGESTIONS_DEFAULT, SuggestionDto, SuggestionsQueryDto } from './matching.dto';
import { MAX_PAGE_SIZE } from 'src/common/pagination/pagination-query.dto';

/** The most directory entries one suggestions request scores (the directory's first pages, best rated first; a multiple of the page size). */
export const SUGGESTION_CANDIDATES_MAX = 1_000;

/**
 * Providers ranked for a client: listed (verified, active) therapists and friends who accept
 * new clients, by compatibility score, then rating, then id.
 */
@Injectable()
export class SuggestionsService {
  constructor(
    private readonly providers: ProviderProfilesService,
    private readonly facts: MatchingFactsService,
    private readonly users: UserDirectoryService,
  ) {}

  async suggest(principal: Principal, query: SuggestionsQueryDto): Promise<SuggestionDto[]> {
    const clientId = await this.clientOf(principal, query.client_id);
    const [client, candidates] = await Promise.all([this.facts.clientFacts([clientId]), this.candidates(clientId)]);
    const providers = await this.facts.providerFactsOf(candidates);
    const facts = client.get(clientId)!;
    return candidates
      .map((friend) => ({ friend, ...compatibility(facts, providers.get(friend.id)!) }))
      .sort((a, b) => b.score - a.score || (b.friend.rating_average ?? 0) - (a.friend.rating_average ?? 0) || a.friend.id.localeCompare(b.friend.id))
      .slice(0, query.limit ?? SUGGESTIONS_DEFAULT)
      .map(({ friend, score, reasons }) => ({ friend, compatibility_score: score, reasons }));
  }

  /** Whom the suggestions are for: the caller, or (staff only) the active client they name. */
  private async clientOf(principal: Principal, requested: string | undefined): Promise<string> {
    if (requested === undefined || requested === principal.userId) return principal.userId;
    if (!hasPermission(principal, Permission.MatchesManage)) throw new AppException('COMMON.FORBIDDEN', 'Only staff ask for suggestions for someone else.');
    const card = await this.users.find(requested);
    if (!card || card.status !== UserStatus.Active || card.role !== Role.Client) throw AppException.validation('client_id', 'client_id must be an active client');
    return card.id;
  }

  private async candidates(clientId: string): Promise<ProviderDto[]> {
    const found: ProviderDto[] = [];
    for (let page = 1; page <= SUGGESTION_CANDIDATES_MAX / MAX_PAGE_SIZE; page++) {
      const result = await this.providers.list(Object.assign(new ProviderListQueryDto(), { page, page_size: MAX_PAGE_SIZE }));
      found.push(...result.items.filter((p) => p.accepting_new_clients && p.id !== clientId));
      if (page * MAX_PAGE_SIZE >= result.count) break;
    }
    return found;
  }
}
