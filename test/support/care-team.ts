import { HttpClient } from './test-app';
import { TestUser } from './users';

/** The client shares `scopes` with the therapist (they need a direct chat: openChat first); returns the grant id. */
export async function grantCare(api: HttpClient, client: TestUser, therapist: TestUser, scopes: string[]): Promise<string> {
  const res = await api.post('/api/v1/care-team/grants', { therapist_id: therapist.id, scopes }, { token: client.access });
  if (res.status !== 201) throw new Error(`grant failed: ${res.status} ${res.text}`);
  return res.body.data.id as string;
}

export async function revokeCare(api: HttpClient, client: TestUser, grantId: string): Promise<void> {
  const res = await api.delete(`/api/v1/care-team/grants/${grantId}`, { token: client.access });
  if (res.status !== 200) throw new Error(`revoke failed: ${res.status} ${res.text}`);
}
