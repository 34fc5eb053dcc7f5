import { Role } from 'src/common/access/permissions';
import { ApiToken } from 'src/modules/auth/api-token.entity';
import { AuditLogEntry } from 'src/modules/audit/audit-log.entity';
import { DataSource } from 'typeorm';
import { craftJwt, jwtClaims } from './support/jwt';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';

describe('credentials: JWT verification and API tokens', () => {
  let api: TestApp;
  let user: TestUser;
  let secret: string;

  const me = (authorization: string) => api.get('/api/v1/users/me', { headers: { authorization } });

  beforeAll(async () => {
    api = await startTestApp();
    secret = api.config.auth.jwt.secret;
  });
  // Each test signs in its own user, so none sees another's tokens or revocations.
  beforeEach(async () => {
    user = await registerUser(api);
  });
  afterAll(() => api?.close());

  describe('bearer JWTs', () => {
    const claimsOf = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
      const real = jwtClaims(user.access);
      return { ...real, ...overrides };
    };

    it('accepts the real token, also hand-signed with the right secret (the control case)', async () => {
      expect((await me(`Bearer ${user.access}`)).status).toBe(200);
      expect((await me(`Bearer ${craftJwt({ alg: 'HS256', typ: 'JWT' }, claimsOf(), secret)}`)).status).toBe(200);
    });

    it.each([
      ['a forged signature', () => craftJwt({ alg: 'HS256', typ: 'JWT' }, claimsOf(), 'not-the-secret-not-the-secret-not-the-secret')],
      ['alg: none without signature', () => craftJwt({ alg: 'none', typ: 'JWT' }, claimsOf())],
      ['alg: none with the real signature kept', () => `${craftJwt({ alg: 'none', typ: 'JWT' }, claimsOf())}${user.access.split('.')[2]}`],
      ['alg: HS512 with the right secret', () => craftJwt({ alg: 'HS512', typ: 'JWT' }, claimsOf(), secret)],
      ['a wrong issuer', () => craftJwt({ alg: 'HS256', typ: 'JWT' }, claimsOf({ iss: 'someone-else' }), secret)],
      ['a wrong audience', () => craftJwt({ alg: 'HS256', typ: 'JWT' }, claimsOf({ aud: 'other-api' }), secret)],
      ['a refresh token', () => user.refresh],
      ['a tampered payload', () => `${user.access.split('.')[0]}.${Buffer.from(JSON.stringify(claimsOf({ sub: '00000000-0000-4000-8000-000000000000' }))).toString('base64url')}.${user.access.split('.')[2]}`],
      ['a session that does not exist', () => craftJwt({ alg: 'HS256', typ: 'JWT' }, claimsOf({ sid: '00000000-0000-4000-8000-000000000000' }), secret)],
      ['garbage', () => 'not.a.jwt'],
    ])('refuses %s with 401 AUTH.INVALID_TOKEN', async (_, token) => {
      const res = await me(`Bearer ${token()}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH.INVALID_TOKEN');
      expect(res.body.success).toBe(false);
    });

    it('refuses an expired token with 401 AUTH.TOKEN_EXPIRED', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = craftJwt({ alg: 'HS256', typ: 'JWT' }, claimsOf({ iat: now - 1000, exp: now - 60 }), secret);
      const res = await me(`Bearer ${expired}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH.TOKEN_EXPIRED');
    });

    it('refuses an unknown scheme and a malformed header, but treats no header as anonymous', async () => {
      expect((await me(`Basic ${Buffer.from('a:b').toString('base64')}`)).body.code).toBe('AUTH.INVALID_TOKEN');
      expect((await me('Bearer')).status).toBe(401);
      const anonymous = await api.get('/api/v1/users/me');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('COMMON.UNAUTHENTICATED');
    });

    it('a public route ignores a bad token', async () => {
      const res = await api.post('/api/v1/auth/login', { email: user.email, password: user.password }, { token: 'garbage' });
      expect(res.status).toBe(200);
    });
  });

  describe('API tokens', () => {
    it('creates a named token shown once, lists it without the secret, authenticates with it, and stops after revocation', async () => {
      const created = await api.post('/api/v1/auth/api-tokens', { name: 'Home automation', expires_in_days: 30 }, { token: user.access });
      expect(created.status).toBe(201);
      const { token, id, prefix } = created.body.data;
      expect(token).toMatch(/^hvn_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(token.startsWith(prefix)).toBe(true);
      expect(created.body.data.expires_at).toEqual(expect.any(String));

      const stored = await api.resolve(DataSource).getRepository(ApiToken).findOneByOrFail({ id });
      expect(stored.tokenHash).not.toContain(token);
      // The secret is base64url and may itself contain '_': take everything after the public part.
      const secret = token.slice('hvn_'.length + 12 + 1);
      expect(JSON.stringify(stored)).not.toContain(secret);

      const listed = await api.get('/api/v1/auth/api-tokens', { token: user.access });
      expect(listed.status).toBe(200);
      expect(listed.body.data).toEqual([expect.objectContaining({ id, name: 'Home automation', prefix })]);
      expect(listed.text).not.toContain(token);
      expect(listed.body.pagination.count).toBe(1);

      const viaToken = await me(`Token ${token}`);
      expect(viaToken.status).toBe(200);
      expect(viaToken.body.data.id).toBe(user.id);
      const used = await api.get('/api/v1/auth/api-tokens', { token: user.access });
      expect(used.body.data[0].last_used_at).toEqual(expect.any(String));

      const revoked = await api.delete(`/api/v1/auth/api-tokens/${id}`, { token: user.access });
      expect(revoked.status).toBe(200);
      const after = await me(`Token ${token}`);
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('AUTH.TOKEN_REVOKED');
      expect((await api.get('/api/v1/auth/api-tokens', { token: user.access })).body.data).toEqual([]);

      const audit = await api.resolve(DataSource).getRepository(AuditLogEntry).findBy({ targetId: id });
      expect(audit.map((a) => a.action).sort()).toEqual(['auth.api_token_created', 'auth.api_token_revoked']);
    });

    it('refuses unknown, malformed and tampered tokens', async () => {
      const created = await api.post('/api/v1/auth/api-tokens', { name: 'probe' }, { token: user.access });
      const token: string = created.body.data.token;
      const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      for (const value of [tampered, 'hvn_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'abc']) {
        const res = await me(`Token ${value}`);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('AUTH.INVALID_TOKEN');
      }
    });

    it('refuses an expired token', async () => {
      const created = await api.post('/api/v1/auth/api-tokens', { name: 'short-lived', expires_in_days: 1 }, { token: user.access });
      await api.resolve(DataSource).getRepository(ApiToken).update({ id: created.body.data.id }, { expiresAt: new Date(Date.now() - 1000) });
      const res = await me(`Token ${created.body.data.token}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH.TOKEN_EXPIRED');
    });

    it("answers another user's token id with 404 and leaves it working", async () => {
      const other = await registerUser(api);
      const theirs = await api.post('/api/v1/auth/api-tokens', { name: 'theirs' }, { token: other.access });
      const res = await api.delete(`/api/v1/auth/api-tokens/${theirs.body.data.id}`, { token: user.access });
      expect(res.status).toBe(404);
      expect((await me(`Token ${theirs.body.data.token}`)).status).toBe(200);
      expect((await api.delete('/api/v1/auth/api-tokens/00000000-0000-4000-8000-000000000000', { token: user.access })).status).toBe(404);
      const malformed = await api.delete('/api/v1/auth/api-tokens/not-a-uuid', { token: user.access });
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors.id).toBeDefined();
    });

    it('validates the name and refuses unknown fields', async () => {
      const empty = await api.post('/api/v1/auth/api-tokens', { name: '  ' }, { token: user.access });
      expect(empty.status).toBe(400);
      expect(empty.body.errors.name).toBeDefined();
      const extra = await api.post('/api/v1/auth/api-tokens', { name: 'x', scopes: ['admin'] }, { token: user.access });
      expect(extra.status).toBe(400);
      expect(extra.body.errors.scopes).toBeDefined();
    });

    it('cannot mint more tokens, change the password or delete the account with an API token', async () => {
      const created = await api.post('/api/v1/auth/api-tokens', { name: 'integration' }, { token: user.access });
      const token = `Token ${created.body.data.token}`;
      const mint = await api.post('/api/v1/auth/api-tokens', { name: 'another' }, { token });
      expect(mint.status).toBe(403);
      expect(mint.body.code).toBe('AUTH.SESSION_REQUIRED');
      const password = await api.patch('/api/v1/users/me', { password: 'another-long-passphrase', current_password: user.password }, { token });
      expect(password.status).toBe(403);
      const erase = await api.request('DELETE', '/api/v1/users/me', { body: { password: user.password }, token });
      expect(erase.status).toBe(403);
      // Profile changes are fine.
      expect((await api.patch('/api/v1/users/me', { first_name: 'Integrated' }, { token })).status).toBe(200);
    });

    it('logout with an API token revokes that token', async () => {
      const created = await api.post('/api/v1/auth/api-tokens', { name: 'to log out' }, { token: user.access });
      const token = `Token ${created.body.data.token}`;
      expect((await api.post('/api/v1/auth/logout', undefined, { token })).status).toBe(200);
      expect((await me(token)).status).toBe(401);
      expect((await me(`Bearer ${user.access}`)).status).toBe(200);
    });

    it("stops a suspended user's token until the account is reactivated", async () => {
      const admin = await createUserWithRole(api, Role.Admin);
      const member = await registerUser(api);
      const created = await api.post('/api/v1/auth/api-tokens', { name: 'x' }, { token: member.access });
      const token = `Token ${created.body.data.token}`;
      await api.patch(`/api/v1/admin/users/${member.id}`, { status: 'suspended' }, { token: admin.access });
      const suspended = await me(token);
      expect(suspended.status).toBe(403);
      expect(suspended.body.code).toBe('AUTH.ACCOUNT_SUSPENDED');
      await api.patch(`/api/v1/admin/users/${member.id}`, { status: 'active' }, { token: admin.access });
      expect((await me(token)).status).toBe(200);
    });
  });

  describe('OpenAPI', () => {
    it('documents every route, with bearer and token security on every non-public one', async () => {
      const doc = (await api.get('/api/docs-json')).body;
      expect(doc.components.securitySchemes).toMatchObject({
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        token: { type: 'apiKey', in: 'header', name: 'Authorization' },
      });
      const publicRoutes = ['post /api/v1/auth/register', 'post /api/v1/auth/login', 'post /api/v1/auth/login/2fa', 'post /api/v1/auth/refresh'];
      const expected = [
        ...publicRoutes,
        'post /api/v1/auth/logout',
        'post /api/v1/auth/logout-all',
        'post /api/v1/auth/2fa/setup',
        'post /api/v1/auth/2fa/enable',
        'post /api/v1/auth/2fa/disable',
        'post /api/v1/auth/2fa/recovery-codes',
        'get /api/v1/auth/api-tokens',
        'post /api/v1/auth/api-tokens',
        'delete /api/v1/auth/api-tokens/{id}',
        'get /api/v1/users/me',
        'patch /api/v1/users/me',
        'delete /api/v1/users/me',
        'get /api/v1/users/{id}',
        'get /api/v1/admin/users',
        'patch /api/v1/admin/users/{id}',
        'get /api/v1/admin/friends',
        'get /api/v1/admin/audit-log',
      ];
      const operations = new Map<string, any>();
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        for (const [method, operation] of Object.entries<any>(item)) operations.set(`${method} ${path}`, operation);
      }
      for (const route of expected) {
        const operation = operations.get(route);
        expect({ route, documented: Boolean(operation) }).toEqual({ route, documented: true });
        expect(operation.summary).toEqual(expect.any(String));
        if (publicRoutes.includes(route)) {
          expect({ route, security: operation.security }).toEqual({ route, security: undefined });
        } else {
          expect({ route, security: operation.security }).toEqual({ route, security: expect.arrayContaining([{ bearer: [] }, { token: [] }]) });
          expect(operation.responses['401']).toBeDefined();
        }
      }
      expect(operations.get('patch /api/v1/admin/users/{id}').responses['403']).toBeDefined();
      expect(doc.components.schemas.RegisterDto.properties.role.enum).toEqual(['client', 'therapist', 'friend']);
    });
  });
});
