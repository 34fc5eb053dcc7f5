import { Role } from 'src/common/access/permissions';
import { HttpClient, TestApp } from './test-app';
import { createUserWithRole, registerUser, TestUser } from './users';

/** A therapist or friend whom an admin has verified, so clients may chat with them. */
export async function verifiedProvider(api: TestApp, admin: TestUser, role: Role.Therapist | Role.Friend = Role.Therapist): Promise<TestUser> {
  const provider = await registerUser(api, { role });
  const res = await api.patch(`/api/v1/admin/users/${provider.id}`, { is_verified: true }, { token: admin.access });
  if (res.status !== 200) throw new Error(`verify failed: ${res.status} ${res.text}`);
  return provider;
}

export interface ChatCast {
  admin: TestUser;
  therapist: TestUser;
  patient: TestUser;
  stranger: TestUser;
}

/** The usual people of a chat test: an admin, a verified therapist, their patient, and an outsider. */
export async function chatCast(api: TestApp): Promise<ChatCast> {
  const admin = await createUserWithRole(api, Role.Admin);
  const therapist = await verifiedProvider(api, admin);
  const patient = await registerUser(api);
  const stranger = await registerUser(api);
  return { admin, therapist, patient, stranger };
}

export async function openChat(api: HttpClient, from: TestUser, to: TestUser): Promise<string> {
  const res = await api.post('/api/v1/chats', { participant_id: to.id }, { token: from.access });
  if (res.status !== 200) throw new Error(`create chat failed: ${res.status} ${res.text}`);
  return res.body.data.id as string;
}

export async function sendText(api: HttpClient, chatId: string, from: TestUser, text: string): Promise<any> {
  const res = await api.post(`/api/v1/chats/${chatId}/messages`, { text }, { token: from.access });
  if (res.status !== 201) throw new Error(`send failed: ${res.status} ${res.text}`);
  return res.body.data;
}
