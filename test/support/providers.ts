import { Role } from 'src/common/access/permissions';
import { verifiedProvider } from './chat';
import { ApiResponse, HttpClient, TestApp } from './test-app';
import { uniqueSuffix } from './test-env';
import { TestUser } from './users';

/** A profile body that passes validation: text and video offered, in EUR. */
export function profileBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    bio: 'Listening without judgement.',
    specialties: ['anxiety'],
    languages: ['en'],
    session_types: ['text', 'video'],
    prices: { text: '30.00', video: '49.99' },
    currency: 'EUR',
    time_zone: 'UTC',
    buffer_minutes: 0,
    ...overrides,
  };
}

/** Every day, all day: any future time is inside availability. */
export const ALWAYS = Array.from({ length: 7 }, (_, i) => ({ weekday: i + 1, start_time: '00:00', end_time: '24:00' }));

export async function putProfile(api: HttpClient, provider: TestUser, overrides: Record<string, unknown> = {}): Promise<ApiResponse> {
  const res = await api.put('/api/v1/providers/me/profile', profileBody(overrides), { token: provider.access });
  if (res.status !== 200) throw new Error(`profile failed: ${res.status} ${res.text}`);
  return res;
}

export async function putRules(api: HttpClient, provider: TestUser, rules: Array<Record<string, unknown>>): Promise<void> {
  const res = await api.put('/api/v1/providers/me/availability', { rules }, { token: provider.access });
  if (res.status !== 200) throw new Error(`rules failed: ${res.status} ${res.text}`);
}

/** A verified provider with a profile and weekly rules (default: always available). */
export async function bookableProvider(
  api: TestApp,
  admin: TestUser,
  options: { profile?: Record<string, unknown>; rules?: Array<Record<string, unknown>>; role?: Role.Therapist | Role.Friend } = {},
): Promise<TestUser> {
  const provider = await verifiedProvider(api, admin, options.role ?? Role.Therapist);
  await putProfile(api, provider, options.profile);
  await putRules(api, provider, options.rules ?? ALWAYS);
  return provider;
}

/** When this test file started: times from it stay the same for every call in the file (no hour boundary between two calls). */
const ANCHOR = Date.now();

/** A whole UTC hour about `hours` after the file started (rounded down), plus `minuteOffset`, as ISO text. */
export function hoursFromNow(hours: number, minuteOffset = 0): string {
  const d = new Date(ANCHOR + hours * 3_600_000);
  d.setUTCMinutes(minuteOffset, 0, 0);
  return d.toISOString();
}

export async function book(api: HttpClient, client: TestUser, body: Record<string, unknown>): Promise<ApiResponse> {
  return api.post('/api/v1/sessions', body, { token: client.access });
}

/** A tag unique to one test, to find its providers in the shared directory. */
export const uniqueTag = (): string => `tag-${uniqueSuffix()}`;
