import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { ApiTokensService } from './api-tokens.service';
import { SessionsService } from './sessions.service';
import { TwoFactorService } from './two-factor.service';

/** Sessions hold IPs and user agents, token names may be personal: on erasure the rows go. */
@Injectable()
export class AuthErasure extends FeatureErasure {
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

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await this.sessions.deleteAllForUser(userId, manager);
    await this.apiTokens.deleteAllForUser(userId, manager);
    await this.twoFactor.wipe(userId, manager);
  }
}
