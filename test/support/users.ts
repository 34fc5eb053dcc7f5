import { generate } from 'otplib';
import { Role } from 'src/common/access/permissions';
import { SYSTEM_CONTEXT } from 'src/common/http/request-context';
import { AdminUsersService } from 'src/modules/admin/admin-users.service';
import { ApiResponse, TestApp } from './test-app';
import { uniqueSuffix } from './test-env';

/** A user of a test, with credentials and (after sign-in) tokens. */
export interface TestUser {
  id: string;
  email: string;
  username: string | null;
  password: string;
  role: Role;
  access: string;
  refresh: string;
}

export interface NewUserOptions {
  role?: Role | string;
  email?: string;
  username?: string;
  password?: string;
  first_name?: string;
  last_name?: string;
  personality_data?: Record<string, unknown>;
}

/** A password that passes the policy and is unique per call. */
export const strongPassword = (): string => `quiet-harbour-lantern-${uniqueSuffix()}`;

/** A registration body with unique email/username. */
export function newUserBody(options: NewUserOptions = {}): Record<string, unknown> {
  const suffix = uniqueSuffix();
  return {
    email: options.email ?? `person-${suffix}@example.com`,
    password: options.password ?? strongPassword(),
    first_name: options.first_name ?? 'Test',
    last_name: options.last_name ?? `User ${suffix}`,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.role !== undefined ? { role: options.role } : {}),
    ...(options.personality_data !== undefined ? { personality_data: options.personality_data } : {}),
  };
}

/** Registers through the API (expects 201) and returns the signed-in user. */
export async function registerUser(api: TestApp, options: NewUserOptions = {}): Promise<TestUser> {
  const body = newUserBody(options);
  const res = await api.post('/api/v1/auth/register', body);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  const { user, access, refresh } = res.body.data;
  return { id: user.id, email: user.email, username: user.username, password: body.password as string, role: user.role, access, refresh };
}

export function login(api: TestApp, identifier: { email?: string; username?: string }, password: string): Promise<ApiResponse> {
  return api.post('/api/v1/auth/login', { ...identifier, password });
}

/** Signs in (expects tokens, no 2FA) and returns a fresh pair. */
export async function loginAs(api: TestApp, email: string, password: string): Promise<{ access: string; refresh: string }> {
  const res = await login(api, { email }, password);
  if (res.status !== 200 || !res.body.data.access) throw new Error(`login failed: ${res.status} ${res.text}`);
  return { access: res.body.data.access, refresh: res.body.data.refresh };
}

/** Creates an account of any role (manager, admin, …) through the app's own service, then signs it in. */
export async function createUserWithRole(api: TestApp, role: Role, options: { email?: string; password?: string } = {}): Promise<TestUser> {
  const email = options.email ?? `${role}-${uniqueSuffix()}@example.com`;
  const password = options.password ?? strongPassword();
  const user = await api.resolve(AdminUsersService).createUser({ email, password, role, firstName: role, lastName: 'Staff' }, SYSTEM_CONTEXT);
  const tokens = await loginAs(api, email, password);
  return { id: user.id, email, username: null, password, role, ...tokens };
}

/**
 * An authenticator app for tests. Haven accepts each time step once and ±1 step around
 * now, so this picks the next unused step that is safely accepted (waiting when needed).
 */
export class TotpDevice {
  private lastStep = -1;

  constructor(readonly secret: string) {}

  async code(): Promise<string> {
    for (;;) {
      const seconds = Date.now() / 1000;
      const now = Math.floor(seconds / 30);
      const early = seconds - now * 30 < 25;
      const step = [now - 1, now, now + 1].find((s) => s > this.lastStep && (s >= now || early));
      if (step !== undefined) {
        this.lastStep = step;
        return generate({ secret: this.secret, epoch: step * 30 + 1 });
      }
      await new Promise((resolve) => setTimeout(resolve, (now + 1) * 30_000 - Date.now() + 100));
    }
  }
}
