import { Reflector } from '@nestjs/core';
import { Authenticated } from 'src/common/access/access.decorators';
import { AccessGuard } from 'src/common/access/access.guard';
import { Permission, Role } from 'src/common/access/permissions';
import { Principal, RequestAuthenticator } from 'src/common/access/principal';
import { ApiTokenStrategy } from 'src/modules/auth/strategies/api-token.strategy';
import { JwtAccessStrategy } from 'src/modules/auth/strategies/jwt-access.strategy';
import { TokenService } from 'src/modules/auth/token.service';
import { craftJwt, jwtClaims } from './support/jwt';
import { connectError, connectSocket } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, loginAs, registerUser, TestUser } from './support/users';

/** A controller-like class for calling the AccessGuard directly. */
class Probe {
  @Authenticated()
  signedIn(): void {}

  @Authenticated(Permission.UsersManage)
  staffOnly(): void {}

  undeclared(): void {}
}

const HS256 = { alg: 'HS256', typ: 'JWT' };

describe('authentication through Passport strategies', () => {
  let api: TestApp;
  let user: TestUser;
  let apiToken: string;
  let secret: string;

  const me = (authorization?: string) => api.get('/api/v1/users/me', authorization === undefined ? {} : { headers: { authorization } });
  const claimsOf = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ ...jwtClaims(user.access), ...overrides });

  /** Runs the global guard on a Probe method, as Nest would for an HTTP request with these headers. */
  async function guard(handler: keyof Probe, headers: Record<string, string> = {}): Promise<{ allowed: boolean; principal?: Principal }> {
    const request: { headers: Record<string, string>; principal?: Principal } = { headers };
    const context = {
      getType: () => 'http',
      getHandler: () => Probe.prototype[handler],
      getClass: () => Probe,
      switchToHttp: () => ({ getRequest: () => request }),
    };
    const allowed = await new AccessGuard(api.resolve(Reflector), api.app.get(RequestAuthenticator, { strict: false })).canActivate(context as never);
    return { allowed, principal: request.principal };
  }

  beforeAll(async () => {
    api = await startTestApp();
    secret = api.config.auth.jwt.secret;
    user = await registerUser(api);
    apiToken = (await api.post('/api/v1/auth/api-tokens', { name: 'passport probe' }, { token: user.access })).body.data.token;
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => api?.close());

  it('a Bearer JWT is authenticated by the jwt strategy, which verifies it as an access token', async () => {
    const validate = jest.spyOn(api.resolve(JwtAccessStrategy), 'validate');
    const apiTokenValidate = jest.spyOn(api.resolve(ApiTokenStrategy), 'validate');
    const verify = jest.spyOn(api.resolve(TokenService), 'verify');
    const res = await me(`Bearer ${user.access}`);
    expect([res.status, res.body.data.id]).toEqual([200, user.id]);
    expect(validate).toHaveBeenCalledWith(user.access, expect.any(Function));
    expect(verify).toHaveBeenCalledWith(user.access, 'access');
    expect(verify.mock.results[0].value).toEqual(expect.objectContaining({ sub: user.id, typ: 'access', sid: expect.any(String) }));
    expect(apiTokenValidate).not.toHaveBeenCalled();
  });

  it('a token verified once is still refused once it expires (the cache of verified tokens ends with exp)', async () => {
    const tokens = api.resolve(TokenService);
    const token = tokens.signAccess(user.id, jwtClaims(user.access).sid as string);
    expect(tokens.verify(token, 'access').sub).toBe(user.id);
    const expiry = (jwtClaims(token).exp as number) * 1000;
    jest.spyOn(Date, 'now').mockReturnValue(expiry + 1);
    expect(() => tokens.verify(token, 'access')).toThrow(expect.objectContaining({ code: 'AUTH.TOKEN_EXPIRED' }));
  });

  it('a `Token` API token is authenticated by the api-token strategy', async () => {
    const jwtValidate = jest.spyOn(api.resolve(JwtAccessStrategy), 'validate');
    const validate = jest.spyOn(api.resolve(ApiTokenStrategy), 'validate');
    const res = await me(`Token ${apiToken}`);
    expect([res.status, res.body.data.id]).toEqual([200, user.id]);
    expect(validate).toHaveBeenCalledWith(apiToken, expect.any(Function));
    expect(jwtValidate).not.toHaveBeenCalled();
  });

  it('the access guard sets the principal from either scheme, refuses an undeclared route, and checks permissions', async () => {
    const viaJwt = await guard('signedIn', { authorization: `Bearer ${user.access}` });
    expect(viaJwt).toEqual({ allowed: true, principal: expect.objectContaining({ userId: user.id, role: Role.Client, apiTokenId: null, sessionId: expect.any(String) }) });
    const viaToken = await guard('signedIn', { authorization: `Token ${apiToken}` });
    expect(viaToken).toEqual({ allowed: true, principal: expect.objectContaining({ userId: user.id, sessionId: null, apiTokenId: expect.any(String) }) });

    const authenticate = jest.spyOn(api.app.get(RequestAuthenticator, { strict: false }), 'authenticate');
    await expect(guard('undeclared', { authorization: `Bearer ${user.access}` })).rejects.toMatchObject({ code: 'COMMON.FORBIDDEN' });
    expect(authenticate).not.toHaveBeenCalled();
    await expect(guard('signedIn')).rejects.toMatchObject({ code: 'COMMON.UNAUTHENTICATED' });
    await expect(guard('staffOnly', { authorization: `Bearer ${user.access}` })).rejects.toMatchObject({ code: 'COMMON.FORBIDDEN' });
  });

  describe('bad credentials are refused with the same code over HTTP and in the Socket.IO handshake', () => {
    const now = (): number => Math.floor(Date.now() / 1000);
    const cases: Array<[string, () => Promise<string | undefined>, string]> = [
      ['no credentials', async () => undefined, 'COMMON.UNAUTHENTICATED'],
      ['alg: none', async () => `Bearer ${craftJwt({ alg: 'none', typ: 'JWT' }, claimsOf())}`, 'AUTH.INVALID_TOKEN'],
      ['HS512 with the right secret', async () => `Bearer ${craftJwt({ alg: 'HS512', typ: 'JWT' }, claimsOf(), secret)}`, 'AUTH.INVALID_TOKEN'],
      ['a forged signature', async () => `Bearer ${craftJwt(HS256, claimsOf(), `${secret}-not`)}`, 'AUTH.INVALID_TOKEN'],
      ['an expired token', async () => `Bearer ${craftJwt(HS256, claimsOf({ iat: now() - 1000, exp: now() - 60 }), secret)}`, 'AUTH.TOKEN_EXPIRED'],
      ['a token without exp', async () => `Bearer ${craftJwt(HS256, claimsOf({ exp: undefined }), secret)}`, 'AUTH.INVALID_TOKEN'],
      ['a token without iat', async () => `Bearer ${craftJwt(HS256, claimsOf({ iat: undefined }), secret)}`, 'AUTH.INVALID_TOKEN'],
      ['a token without sid', async () => `Bearer ${craftJwt(HS256, claimsOf({ sid: undefined }), secret)}`, 'AUTH.INVALID_TOKEN'],
      ['a refresh token', async () => `Bearer ${user.refresh}`, 'AUTH.INVALID_TOKEN'],
      ['an unsupported scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`, 'AUTH.INVALID_TOKEN'],
      ['a malformed header', async () => `Bearer ${user.access} extra`, 'AUTH.INVALID_TOKEN'],
      ['an unknown API token', async () => 'Token hvn_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'AUTH.INVALID_TOKEN'],
      [
        'a revoked session',
        async () => {
          const { access } = await loginAs(api, user.email, user.password);
          await api.post('/api/v1/auth/logout', undefined, { token: access });
          return `Bearer ${access}`;
        },
        'AUTH.SESSION_REVOKED',
      ],
      [
        'a revoked API token',
        async () => {
          const created = await api.post('/api/v1/auth/api-tokens', { name: 'to revoke' }, { token: user.access });
          await api.delete(`/api/v1/auth/api-tokens/${created.body.data.id}`, { token: user.access });
          return `Token ${created.body.data.token}`;
        },
        'AUTH.TOKEN_REVOKED',
      ],
      [
        "a suspended account's API token",
        async () => {
          const admin = await createUserWithRole(api, Role.Admin);
          const member = await registerUser(api);
          const created = await api.post('/api/v1/auth/api-tokens', { name: 'suspended' }, { token: member.access });
          await api.patch(`/api/v1/admin/users/${member.id}`, { status: 'suspended' }, { token: admin.access });
          return `Token ${created.body.data.token}`;
        },
        'AUTH.ACCOUNT_SUSPENDED',
      ],
    ];

    it.each(cases)('%s', async (_, credential, code) => {
      const authorization = await credential();
      const res = await me(authorization);
      expect([res.status >= 400, res.body.success, res.body.code]).toEqual([true, false, code]);
      // Passport answered nothing itself: the envelope comes from Nest's exception filter.
      expect(res.headers.get('www-authenticate')).toBeNull();
      const refused = await connectError(api.url, authorization);
      expect(refused.data?.code).toBe(code);
      // The same message too, once there is a credential to judge (without one, the socket says where to put it).
      if (authorization !== undefined) expect(refused.message).toBe(res.body.message);
    });
  });

  it('a good credential opens a socket with either scheme', async () => {
    for (const credential of [user.access, `Bearer ${user.access}`, `Token ${apiToken}`]) {
      const socket = await connectSocket(api.url, credential);
      expect(socket.connected).toBe(true);
      socket.close();
    }
  });
});
