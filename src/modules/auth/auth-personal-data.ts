import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { ApiTokensService } from './api-tokens.service';
import { SessionsService } from './sessions.service';
import { TwoFactorService } from './two-factor.service';

/** Sessions hold IPs and user agents, token names may be personal: on erasure the rows go. */
@Injectable()
export class AuthPersonalData extends FeaturePersonalData {
  readonly feature = 'auth';
  readonly tables = new Map([
    ['auth_sessions', 'deleted (they hold IP addresses and user agents)'],
    ['api_tokens', 'deleted'],
    ['recovery_codes', 'deleted'],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly twoFactor: TwoFactorService,
  ) {
    super(registry);
  }

  /** Sign-in sessions (when, from where) and API tokens (names and dates); never a hash. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const sessions = await rowsNaming(manager, 'auth_sessions', ['user_id'], userId);
    const apiTokens = await rowsNaming(manager, 'api_tokens', ['user_id'], userId, ['token_hash']);
    return { sign_in_sessions: sessions, api_tokens: apiTokens };
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await this.sessions.deleteAllForUser(userId, manager);
    await this.apiTokens.deleteAllForUser(userId, manager);
    await this.twoFactor.wipe(userId, manager);
  }
}
