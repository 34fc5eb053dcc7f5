import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Strategy as PassportStrategyContract } from 'passport';
import { Principal } from 'src/common/access/principal';
import { ApiTokensService } from '../api-tokens.service';
import { CredentialCarrier, credentialFor } from './authorization-header';

export const API_TOKEN_STRATEGY = 'api-token';

type VerifyApiToken = (token: string, done: (error: unknown, principal?: Principal | false | null) => void) => void;

/**
 * `Authorization: Token <api token>` in the shape of a passport-strategy Strategy (no
 * package offers this scheme): Passport calls authenticate() on a per-request copy to
 * which it has added success, fail and error.
 */
class TokenSchemeStrategy implements PassportStrategyContract {
  readonly name = API_TOKEN_STRATEGY;
  declare success: (principal: Principal) => void;
  declare fail: (status: number) => void;
  declare error: (error: Error) => void;

  constructor(private readonly verify: VerifyApiToken) {}

  authenticate(request: CredentialCarrier): void {
    const token = credentialFor(this, request, 'token');
    if (token === null) return;
    this.verify(token, (error, principal) => {
      if (error) this.error(error as Error);
      else if (principal) this.success(principal);
      else this.fail(401);
    });
  }
}

/** Personal API tokens: unknown, revoked or expired tokens and suspended accounts are refused by ApiTokensService. */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(TokenSchemeStrategy, API_TOKEN_STRATEGY) {
  constructor(private readonly apiTokens: ApiTokensService) {
    super();
  }

  async validate(token: string): Promise<Principal> {
    return this.apiTokens.authenticate(token);
  }
}
