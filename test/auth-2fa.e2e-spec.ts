import { AuditLogEntry } from 'src/modules/audit/audit-log.entity';
import { RecoveryCode } from 'src/modules/auth/recovery-code.entity';
import { User } from 'src/modules/users/user.entity';
import { DataSource } from 'typeorm';
import { craftJwt, jwtClaims } from './support/jwt';
import { startTestApp, TestApp } from './support/test-app';
import { login, registerUser, TestUser, TotpDevice } from './support/users';

describe('two-factor authentication (TOTP)', () => {
  let api: TestApp;
  let db: DataSource;

  const actions = async (userId: string): Promise<string[]> =>
    (await db.getRepository(AuditLogEntry).find({ where: { targetId: userId }, order: { occurredAt: 'ASC' } })).map((e) => e.action);

  /** Registers a user and turns 2FA on; returns the device and the recovery codes. */
  async function userWith2fa(): Promise<{ user: TestUser; device: TotpDevice; recoveryCodes: string[] }> {
    const user = await registerUser(api);
    const setup = await api.post('/api/v1/auth/2fa/setup', { password: user.password }, { token: user.access });
    expect(setup.status).toBe(200);
    const device = new TotpDevice(setup.body.data.secret);
    const enabled = await api.post('/api/v1/auth/2fa/enable', { code: await device.code() }, { token: user.access });
    expect(enabled.status).toBe(200);
    return { user, device, recoveryCodes: enabled.body.data.recovery_codes };
  }

  beforeAll(async () => {
    api = await startTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
    db = api.resolve(DataSource);
  });
  afterAll(() => api?.close());

  it('sets up with an otpauth URI, keeps the secret encrypted, and enables only after a valid code', async () => {
    const user = await registerUser(api);
    const wrongPassword = await api.post('/api/v1/auth/2fa/setup', { password: 'not-my-password' }, { token: user.access });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.errors.password).toBeDefined();

    const setup = await api.post('/api/v1/auth/2fa/setup', { password: user.password }, { token: user.access });
    expect(setup.status).toBe(200);
    const { secret, otpauth_uri } = setup.body.data;
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const uri = new URL(otpauth_uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Haven');
    expect(decodeURIComponent(otpauth_uri)).toContain(user.email);

    const stored = await db.getRepository(User).findOneByOrFail({ id: user.id });
    expect(stored.totpSecret).toMatch(/^enc1\./);
    expect(stored.totpSecret).not.toContain(secret);
    expect(stored.twoFactorEnabled).toBe(false);
    // Not on yet: login still gives tokens directly.
    expect((await login(api, { email: user.email }, user.password)).body.data.requires_2fa).toBe(false);

    const wrong = await api.post('/api/v1/auth/2fa/enable', { code: '000000' }, { token: user.access });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('AUTH.WRONG_2FA_CODE');
    const malformed = await api.post('/api/v1/auth/2fa/enable', { code: '12ab' }, { token: user.access });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.code).toBeDefined();

    const device = new TotpDevice(secret);
    const enabled = await api.post('/api/v1/auth/2fa/enable', { code: await device.code() }, { token: user.access });
    expect(enabled.status).toBe(200);
    const codes: string[] = enabled.body.data.recovery_codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    codes.forEach((c) => expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/));
    const hashes = await db.getRepository(RecoveryCode).findBy({ userId: user.id });
    expect(hashes).toHaveLength(10);
    expect(JSON.stringify(hashes)).not.toContain(codes[0]);
    expect(JSON.stringify(hashes)).not.toContain(codes[0].replace(/-/g, ''));

    const me = await api.get('/api/v1/users/me', { token: user.access });
    expect(me.body.data.two_factor_enabled).toBe(true);
    const again = await api.post('/api/v1/auth/2fa/setup', { password: user.password }, { token: user.access });
    expect(again.status).toBe(409);
    expect(await actions(user.id)).toContain('auth.2fa_enabled');
  });

  it('refuses login without the code; a valid TOTP lets the user in', async () => {
    const { user, device } = await userWith2fa();
    const first = await login(api, { email: user.email }, user.password);
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({ requires_2fa: true, challenge_token: expect.any(String), challenge_expires_in: 300 });
    expect(first.body.data.access).toBeUndefined();

    // The challenge is not an access token.
    expect((await api.get('/api/v1/users/me', { token: first.body.data.challenge_token })).status).toBe(401);
    const missing = await api.post('/api/v1/auth/login/2fa', { challenge_token: first.body.data.challenge_token });
    expect(missing.status).toBe(400);

    const code = await device.code();
    const second = await api.post('/api/v1/auth/login/2fa', { challenge_token: first.body.data.challenge_token, code });
    expect(second.status).toBe(200);
    expect(second.body.data.user.id).toBe(user.id);
    expect((await api.get('/api/v1/users/me', { token: second.body.data.access })).status).toBe(200);

    // The same code is not accepted twice.
    const replay = await api.post('/api/v1/auth/login/2fa', { challenge_token: first.body.data.challenge_token, code });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('AUTH.INVALID_2FA_CODE');

    const succeeded = await db.getRepository(AuditLogEntry).findBy({ targetId: user.id, action: 'auth.login_succeeded' });
    expect(succeeded.map((e) => e.detail.method)).toContain('password+totp');
  });

  it('a recovery code lets the user in once', async () => {
    const { user, recoveryCodes } = await userWith2fa();
    const challenge = async (): Promise<string> => (await login(api, { email: user.email }, user.password)).body.data.challenge_token;
    const typed = recoveryCodes[3].toUpperCase().replace(/-/g, ' ');
    const ok = await api.post('/api/v1/auth/login/2fa', { challenge_token: await challenge(), recovery_code: typed });
    expect(ok.status).toBe(200);
    expect(ok.body.data.access).toEqual(expect.any(String));
    const again = await api.post('/api/v1/auth/login/2fa', { challenge_token: await challenge(), recovery_code: recoveryCodes[3] });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('AUTH.INVALID_2FA_CODE');
    const used = await db.getRepository(AuditLogEntry).findOneByOrFail({ targetId: user.id, action: 'auth.recovery_code_used' });
    expect(used.detail).toEqual({ remaining: 9 });
  });

  it('counts wrong codes towards the lockout', async () => {
    const { user } = await userWith2fa();
    const challenge = (await login(api, { email: user.email }, user.password)).body.data.challenge_token;
    expect((await api.post('/api/v1/auth/login/2fa', { challenge_token: challenge, code: '000000' })).status).toBe(401);
    expect((await api.post('/api/v1/auth/login/2fa', { challenge_token: challenge, recovery_code: 'aaaa-bbbb-cccc-dddd' })).status).toBe(401);
    const third = await api.post('/api/v1/auth/login/2fa', { challenge_token: challenge, code: '111111' });
    expect(third.status).toBe(423);
    expect(third.body.code).toBe('AUTH.ACCOUNT_LOCKED');
    expect((await login(api, { email: user.email }, user.password)).status).toBe(423);
  });

  it('refuses a forged or expired challenge', async () => {
    const { user, device } = await userWith2fa();
    const forged = await api.post('/api/v1/auth/login/2fa', { challenge_token: user.access, code: await device.code() });
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('AUTH.INVALID_TOKEN');
    const { iss, aud } = jwtClaims(user.access);
    const now = Math.floor(Date.now() / 1000);
    const expiredChallenge = craftJwt({ alg: 'HS256', typ: 'JWT' }, { typ: '2fa', sub: user.id, iss, aud, iat: now - 600, exp: now - 300 }, api.config.auth.jwt.secret);
    const expired = await api.post('/api/v1/auth/login/2fa', { challenge_token: expiredChallenge, code: await device.code() });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('AUTH.TOKEN_EXPIRED');
  });

  it('disables with password and code, and regenerates recovery codes', async () => {
    const { user, device, recoveryCodes } = await userWith2fa();
    const regenerated = await api.post(
      '/api/v1/auth/2fa/recovery-codes',
      { password: user.password, recovery_code: recoveryCodes[0] },
      { token: user.access },
    );
    expect(regenerated.status).toBe(200);
    const fresh: string[] = regenerated.body.data.recovery_codes;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[1]);

    const noCode = await api.post('/api/v1/auth/2fa/disable', { password: user.password }, { token: user.access });
    expect(noCode.status).toBe(400);
    const wrongPassword = await api.post('/api/v1/auth/2fa/disable', { password: 'nope-nope-nope', code: await device.code() }, { token: user.access });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.code).toBe('AUTH.WRONG_PASSWORD');
    const oldCode = await api.post('/api/v1/auth/2fa/disable', { password: user.password, recovery_code: recoveryCodes[1] }, { token: user.access });
    expect(oldCode.status).toBe(400);
    expect(oldCode.body.code).toBe('AUTH.WRONG_2FA_CODE');

    const disabled = await api.post('/api/v1/auth/2fa/disable', { password: user.password, recovery_code: fresh[0] }, { token: user.access });
    expect(disabled.status).toBe(200);
    const stored = await db.getRepository(User).findOneByOrFail({ id: user.id });
    expect(stored).toMatchObject({ twoFactorEnabled: false, totpSecret: null });
    expect(await db.getRepository(RecoveryCode).countBy({ userId: user.id })).toBe(0);
    const signIn = await login(api, { email: user.email }, user.password);
    expect(signIn.body.data.requires_2fa).toBe(false);
    expect(await actions(user.id)).toEqual(expect.arrayContaining(['auth.2fa_enabled', 'auth.recovery_codes_regenerated', 'auth.2fa_disabled']));

    const notOn = await api.post('/api/v1/auth/2fa/disable', { password: user.password, code: '123456' }, { token: user.access });
    expect(notOn.status).toBe(409);
  });

  it('cannot be managed with an API token', async () => {
    const user = await registerUser(api);
    const created = await api.post('/api/v1/auth/api-tokens', { name: 'x' }, { token: user.access });
    const res = await api.post('/api/v1/auth/2fa/setup', { password: user.password }, { token: `Token ${created.body.data.token}` });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('AUTH.SESSION_REQUIRED');
  });
});
