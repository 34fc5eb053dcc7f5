import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Socket } from 'socket.io-client';
import { parse } from 'yaml';
import { Role } from 'src/common/access/permissions';
import { chatCast, openChat, sendText, verifiedProvider } from './support/chat';
import { findLeak, JsonSchema, mutateBody, PROTOTYPE_KEYS, prototypeSnapshot, queryValue, resolveSchema, Rng, sample, WireBody } from './support/fuzz';
import { connectSocket } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';
import { loginAs, registerUser, TestUser } from './support/users';

/**
 * Schema-driven fuzzing of every operation in openapi/openapi.json and every client event
 * in openapi/asyncapi.yaml, with no per-route code: a route added later is fuzzed too.
 * Each request is answered by a caller who may use the route; its path ids point at real
 * data of that caller where the collection is known. A failure is any 5xx, a stack trace,
 * file path or SQL in an answer, a hang, or a new property on Object.prototype.
 *
 * FUZZ_SEED replays a run (the seed is printed at the start); FUZZ_REQUESTS sets how many
 * HTTP requests (default 5,000).
 */

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const HTTP_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5_000);
const SOCKET_EMITS_PER_EVENT = 60;
const CONCURRENCY = 4;

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

interface Operation {
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}

interface FuzzOperation {
  method: string;
  path: string;
  operation: Operation;
}

const openapi = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8')) as OpenApi;
const asyncapi = parse(readFileSync(join(__dirname, '..', 'openapi', 'asyncapi.yaml'), 'utf8')) as {
  channels: Record<string, { publish?: { message: JsonSchema & { payload?: JsonSchema } } }>;
  components: { messages: Record<string, { payload?: JsonSchema }>; schemas: Record<string, JsonSchema> };
};

const operations: FuzzOperation[] = Object.entries(openapi.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
    .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);

describe(`fuzz (seed ${SEED}; replay with FUZZ_SEED=${SEED})`, () => {
  let api: TestApp;
  const rng = new Rng(SEED);
  const failures: string[] = [];
  const prototypeAtStart = prototypeSnapshot();
  /** Path ids by the collection they follow (`/chats/{id}` → a chat of the caller). */
  const ids = new Map<string, string>();
  let callers: TestUser[];
  let victim: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    console.log(`fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${HTTP_REQUESTS} HTTP requests`);
    api = await startTestApp();
    const cast = await chatCast(api);
    const friend = await verifiedProvider(api, cast.admin, Role.Friend);
    victim = await registerUser(api);
    const chatId = await openChat(api, cast.patient, cast.therapist);
    const message = await sendText(api, chatId, cast.patient, 'fuzz fixture message');
    await sendText(api, chatId, cast.therapist, 'a reply, so the patient has a notification');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a])], { type: 'application/pdf' }), 'fixture.pdf');
    const upload = await fetch(`${api.url}/api/v1/chats/${chatId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${cast.patient.access}` }, body: form });
    const attachment = (await upload.json()) as { data?: { id: string } };
    const group = await api.post('/api/v1/groups', { name: 'Fuzz circle', description: 'fixture' }, { token: cast.therapist.access });
    for (const member of [cast.patient, victim]) await api.post(`/api/v1/groups/${group.body.data.id}/join`, undefined, { token: member.access });
    const token = await api.post('/api/v1/auth/api-tokens', { name: 'fuzz fixture' }, { token: cast.patient.access });
    // A second session of the patient, so fuzzing DELETE /auth/sessions/{id} does not end the one in use.
    await loginAs(api, cast.patient.email, cast.patient.password);
    const sessions = await api.get('/api/v1/auth/sessions', { token: cast.patient.access });
    const spare = (sessions.body.data as Array<{ id: string; current: boolean }>).find((s) => !s.current);
    const notifications = await api.get('/api/v1/notifications', { token: cast.patient.access });
    for (const [collection, id] of [
      ['chats', chatId],
      ['messages', message.id],
      ['attachments', attachment.data?.id],
      ['groups', group.body.data.id],
      ['members', victim.id],
      ['users', victim.id],
      ['api-tokens', token.body.data?.id],
      ['sessions', spare?.id],
      ['notifications', notifications.body.data?.[0]?.id],
      ['reactions', '👍'],
    ] as const) {
      if (!id) throw new Error(`fuzz fixture: no ${collection} id`);
      ids.set(collection, id);
    }
    // The patient first: most routes are theirs; then the providers and staff.
    callers = [cast.patient, cast.therapist, friend, cast.admin];
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api?.close();
  });

  const uuids = (): string[] => [...ids.values()];

  function pathFor(op: FuzzOperation, hostile: boolean): string {
    return op.path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
      if (hostile && rng.chance(0.5)) return encodeURIComponent(rng.pick(['not-a-uuid', '\u0000', '__proto__', 'constructor', '..', '%', 'x'.repeat(300), rng.uuid()]));
      const collection = op.path.slice(0, offset).split('/').filter(Boolean).pop() ?? '';
      return encodeURIComponent(ids.get(collection) ?? rng.uuid());
    });
  }

  function queryFor(op: FuzzOperation, hostile: boolean): string {
    const params = new URLSearchParams();
    for (const parameter of op.operation.parameters ?? []) {
      if (parameter.in !== 'query') continue;
      if (!hostile) continue;
      if (rng.chance(0.5)) params.append(parameter.name, queryValue(parameter.schema ?? {}, openapi.components.schemas, rng, uuids()));
      if (rng.chance(0.05)) params.append(parameter.name, 'repeated');
    }
    if (hostile && rng.chance(0.2)) {
      const key = rng.pick(PROTOTYPE_KEYS);
      params.append(rng.pick([key, `${key}[polluted]`, `${key}.polluted`, `a[${key}][polluted]`]), 'yes');
    }
    const text = params.toString();
    return text ? `?${text}` : '';
  }

  function bodyFor(op: FuzzOperation, hostile: boolean): WireBody {
    const content = op.operation.requestBody?.content ?? {};
    const jsonSchema = content['application/json']?.schema;
    if (content['multipart/form-data'] && !hostile) {
      return { text: '--fuzz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--fuzz--\r\n', contentType: 'multipart/form-data; boundary=fuzz', note: 'plausible upload' };
    }
    const base = jsonSchema ? sample(jsonSchema, openapi.components.schemas, rng, uuids()) : {};
    if (!hostile) return jsonSchema ? { text: JSON.stringify(base), contentType: 'application/json', note: 'plausible body' } : { note: 'no body' };
    if (!jsonSchema && !content['multipart/form-data'] && rng.chance(0.6)) return { note: 'no body' };
    return mutateBody(base, rng);
  }

  interface Planned {
    op: FuzzOperation;
    path: string;
    body: WireBody;
    authorization?: string;
    requestId?: string;
  }

  async function send(request: Planned, caller: TestUser | null): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = {};
    if (request.body.contentType) headers['content-type'] = request.body.contentType;
    if (request.authorization) headers.authorization = request.authorization;
    else if (caller) headers.authorization = `Bearer ${caller.access}`;
    if (request.requestId) headers['x-request-id'] = request.requestId;
    const response = await fetch(`${api.url}${request.path}`, {
      method: request.op.method,
      headers,
      body: request.op.method === 'GET' ? undefined : request.body.text,
      signal: AbortSignal.timeout(20_000),
    });
    return { status: response.status, text: await response.text() };
  }

  /** The first caller the route does not refuse with 403 (staff routes end at the admin). */
  async function callerFor(op: FuzzOperation): Promise<TestUser> {
    for (const caller of callers) {
      const answer = await send({ op, path: pathFor(op, false), body: bodyFor(op, false) }, caller);
      if (answer.status === 401) await relogin(caller);
      if (answer.status !== 403) return caller;
    }
    return callers[callers.length - 1];
  }

  /** Fuzzing may end a caller's session (logout, logout-all): sign in again and go on. */
  async function relogin(caller: TestUser): Promise<void> {
    const fresh = await loginAs(api, caller.email, caller.password);
    caller.access = fresh.access;
    caller.refresh = fresh.refresh;
  }

  function check(what: string, status: number, text: string): void {
    if (status >= 500) failures.push(`${what} → ${status} ${text.slice(0, 300)}`);
    const leak = findLeak(text);
    if (leak) failures.push(`${what} → ${status} leaks ${leak}`);
    if (prototypeSnapshot() !== prototypeAtStart) {
      failures.push(`${what} → Object.prototype changed: ${prototypeSnapshot()}`);
      for (const name of Object.getOwnPropertyNames(Object.prototype)) if (!prototypeAtStart.split(',').includes(name)) delete (Object.prototype as Record<string, unknown>)[name];
    }
  }

  it(`answers ${HTTP_REQUESTS} hostile HTTP requests over every operation without a 5xx, a leak or pollution`, async () => {
    const chosen = new Map<FuzzOperation, TestUser>();
    for (const op of operations) chosen.set(op, await callerFor(op));
    // Every input is drawn before anything is sent, so the same seed gives the same requests
    // whatever order the concurrent answers come back in.
    const planned: Planned[] = Array.from({ length: HTTP_REQUESTS }, (_, n) => {
      const op = operations[n % operations.length];
      return {
        op,
        path: `${pathFor(op, true)}${queryFor(op, true)}`,
        body: bodyFor(op, true),
        authorization: rng.chance(0.04) ? rng.pick(['Bearer ', 'Bearer x.y.z', 'Token hvn_', 'Basic YTpi', `Bearer ${'a'.repeat(5_000)}`, 'Bearer \u00e9']) : undefined,
        requestId: rng.chance(0.03) ? rng.pick(['\u00e9'.repeat(8), 'x'.repeat(500), '../../x']) : undefined,
      };
    });
    let sent = 0;
    let index = 0;
    const statuses = new Map<number, number>();
    const worker = async (): Promise<void> => {
      while (index < planned.length) {
        const n = index++;
        const request = planned[n];
        const caller = chosen.get(request.op)!;
        const what = `#${n} ${request.op.method} ${request.path.slice(0, 200)} [${request.body.note}]`;
        try {
          const answer = await send(request, caller);
          sent += 1;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          check(what, answer.status, answer.text);
          if (answer.status === 401 && !request.authorization) await relogin(caller);
        } catch (error) {
          failures.push(`${what} → no answer: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(`fuzz: ${sent} HTTP requests over ${operations.length} operations; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(HTTP_REQUESTS);
    // Still serving: the service survived (a newcomer, since fuzzing may have suspended the fixtures).
    expect((await api.get('/api/v1/users/me', { token: (await registerUser(api)).access })).status).toBe(200);
  }, 600_000);

  it('answers hostile payloads on every client socket event with an acknowledgement, never a 5xx', async () => {
    const events = Object.entries(asyncapi.channels).filter(([, channel]) => channel.publish);
    expect(events.length).toBeGreaterThan(0);
    const caller = callers[0];
    await relogin(caller);
    let socket = await connectSocket(api.url, caller.access);
    sockets.push(socket);
    const schemas = { ...asyncapi.components.schemas };
    let emitted = 0;
    for (const [event, channel] of events) {
      const message = channel.publish!.message;
      const payloadSchema = message.$ref ? asyncapi.components.messages[message.$ref.split('/').pop()!]?.payload : message.payload;
      for (let i = 0; i < SOCKET_EMITS_PER_EVENT; i += 1) {
        const base = sample(resolveSchema(payloadSchema, schemas), schemas, rng, uuids());
        // The client serialises payloads itself (recursively): nesting is kept within what it can write.
        const mutated = mutateBody(base, rng, 1_000);
        let payload: unknown;
        try {
          payload = mutated.contentType === 'application/json' && mutated.text ? JSON.parse(mutated.text) : mutated.text;
        } catch {
          payload = mutated.text;
        }
        const what = `socket ${event} #${i} [${mutated.note}]`;
        if (!socket.connected) {
          await relogin(caller);
          socket = await connectSocket(api.url, caller.access);
          sockets.push(socket);
        }
        try {
          const ack = (await socket.timeout(10_000).emitWithAck(event, payload)) as { ok?: boolean; error?: { status?: number; code?: string } };
          emitted += 1;
          const status = ack?.ok ? 200 : (ack?.error?.status ?? 0);
          if (!ack || typeof ack !== 'object' || (!ack.ok && (!ack.error || ack.error.code === 'COMMON.INTERNAL'))) failures.push(`${what} → bad ack ${JSON.stringify(ack)?.slice(0, 200)}`);
          check(what, status, JSON.stringify(ack));
        } catch (error) {
          failures.push(`${what} → no acknowledgement: ${(error as Error).message}`);
        }
      }
    }
    console.log(`fuzz: ${emitted} socket events over ${events.length} client events`);
    expect(failures.slice(0, 20)).toEqual([]);
  }, 300_000);
});
