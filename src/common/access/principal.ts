import { Role } from './permissions';

/** Who is calling: set on the request by authentication, read by guards and `@CurrentUser()`. */
export interface Principal {
  userId: string;
  role: Role;
  /** The login session (refresh-token family) behind an access token; null for API tokens. */
  sessionId: string | null;
  /** The API token used, when the request authenticated with `Authorization: Token …`. */
  apiTokenId: string | null;
  isVerified: boolean;
}

/** Resolves the caller of a request from its headers; provided by the auth module. */
export abstract class RequestAuthenticator {
  /** Returns null when the request carries no credentials; throws AppException when they are bad. */
  abstract authenticate(headers: Record<string, string | string[] | undefined>): Promise<Principal | null>;
}
