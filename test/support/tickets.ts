import { HttpClient } from './test-app';
import { TestUser } from './users';

export interface NewTicket {
  subject?: string;
  body?: string;
  category?: string;
  priority?: string;
  support_chat_message_id?: string;
}

/** Opens a support ticket as `user` (expects 201) and returns its detail. */
export async function openTicket(api: HttpClient, user: TestUser, ticket: NewTicket = {}): Promise<any> {
  const res = await api.post(
    '/api/v1/tickets',
    { subject: 'I cannot log my mood', body: 'The save button does nothing since this morning.', category: 'technical', ...ticket },
    { token: user.access },
  );
  if (res.status !== 201) throw new Error(`open ticket failed: ${res.status} ${res.text}`);
  return res.body.data;
}

/** The user's support chat id (created on first use). */
export async function supportChatOf(api: HttpClient, user: TestUser): Promise<string> {
  const res = await api.get('/api/v1/support/chat', { token: user.access });
  if (res.status !== 200) throw new Error(`support chat failed: ${res.status} ${res.text}`);
  return res.body.data.chat_id as string;
}

/** Uploads a small text file to a chat as `user` (expects 201) and returns the attachment id. */
export async function uploadTo(api: HttpClient, user: TestUser, chatId: string, content = 'screenshot notes\n', filename = 'notes.txt'): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(Buffer.from(content))]), filename);
  const res = await fetch(`${api.url}/api/v1/chats/${chatId}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${user.access}` } });
  const body = (await res.json()) as { data: { id: string } };
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  return body.data.id;
}
