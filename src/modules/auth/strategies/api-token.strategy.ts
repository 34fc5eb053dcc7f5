import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Principal } from 'src/common/access/principal';
import { ApiTokensService } from '../api-tokens.service';
import { schemeStrategy } from './authorization-header';

export const API_TOKEN_STRATEGY = 'api-token';

/** `Authorization: Token <api token>`: unknown, revoked or expired tokens and suspended accounts are refused by ApiTokensService. */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(schemeStrategy(API_TOKEN_STRATEGY, 'token'), API_TOKEN_STRATEGY) {
  constructor(private readonly apiTokens: ApiTokensService) {
    super();
  }

  async validate(token: string): Promise<Principal> {
    return this.apiTokens.authenticate(token);
  }
}
