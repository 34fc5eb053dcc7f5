/**
 * Demo data to try Haven with: an admin, a verified therapist, a client and a verified
 * friend, a direct chat between the client and the therapist with a few messages, and a
 * support group with members and messages. Prints the credentials and what to try next.
 *
 *   npm run seed:demo
 *
 * Never in production (NODE_ENV=production is refused). It works on the configured
 * database like create-admin: DATABASE_URL, or the embedded one in DATA_DIR, through the
 * running server that owns DATA_DIR when there is one, otherwise opening it itself.
 * It goes through the app's own services (an application context, no HTTP), so it needs
 * no running server and no rate-limit allowance.
 *
 * Idempotent: a second run creates only what is missing and prints the same
 * credentials again. The passwords are derived from this deployment's JWT secret (so
 * they are stable, yet not the same for everyone who has this file); a demo account whose
 * password no longer matches (changed by hand, or a new secret) gets it reset.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AppModule } from 'src/app.module';
import { isProvider, Role } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { SYSTEM_CONTEXT } from 'src/common/http/request-context';
import { AppConfig } from 'src/config/app-config';
import { ConfigValidationError } from 'src/config/environment';
import { EmbeddedDatabaseBusyError } from 'src/infrastructure/database/embedded-postgres';
import { commandConnection, runCommand, UsageError } from './connection';
import { AdminUsersService } from 'src/modules/admin/admin-users.service';
import { AuditService } from 'src/modules/audit/audit.service';
import { PasswordService } from 'src/modules/auth/password.service';
import { SessionsService } from 'src/modules/auth/sessions.service';
import { ConversationsService } from 'src/modules/chat/conversations.service';
import { Conversation, ConversationKind, ConversationStatus } from 'src/modules/chat/entities/conversation.entity';
import { Message } from 'src/modules/chat/entities/message.entity';
import { MessageSendingService } from 'src/modules/chat/messaging/message-sending.service';
import { GroupsService } from 'src/modules/groups/groups.service';
import { User, UserStatus } from 'src/modules/users/user.entity';
import { UsersService } from 'src/modules/users/users.service';
import { DataSource } from 'typeorm';

const USAGE = 'usage: npm run seed:demo  (demo accounts, a chat and a group; refuses NODE_ENV=production)';

type DemoKey = 'admin' | 'therapist' | 'client' | 'friend';

interface DemoAccount {
  key: DemoKey;
  role: Role;
  email: string;
  firstName: string;
  lastName: string;
}

/** `.test` is reserved (RFC 2606): these addresses can never belong to anyone. */
const ACCOUNTS: readonly DemoAccount[] = [
  { key: 'admin', role: Role.Admin, email: 'admin@demo.haven.test', firstName: 'Alex', lastName: 'Morgan' },
  { key: 'therapist', role: Role.Therapist, email: 'therapist@demo.haven.test', firstName: 'Sam', lastName: 'Rivera' },
  { key: 'client', role: Role.Client, email: 'client@demo.haven.test', firstName: 'Jamie', lastName: 'Lee' },
  { key: 'friend', role: Role.Friend, email: 'friend@demo.haven.test', firstName: 'Robin', lastName: 'Park' },
];

/** Each message has a fixed client_message_id, so a second run finds it instead of sending it again. */
const DIRECT_MESSAGES: ReadonlyArray<{ id: string; from: DemoKey; text: string }> = [
  { id: 'demo-direct-1', from: 'client', text: 'Hi Sam, is this a good place to ask about next week?' },
  { id: 'demo-direct-2', from: 'therapist', text: 'Hi Jamie, yes. How have the mornings been since we last spoke?' },
  { id: 'demo-direct-3', from: 'client', text: 'Better. The breathing exercise helps on the bus.' },
  { id: 'demo-direct-4', from: 'therapist', text: 'Good to hear. Let us go over it together on Tuesday.' },
];

const GROUP = { name: 'Evening check-in (demo)', description: 'Share one thing that went well today.', category: 'support' };
const GROUP_MEMBERS: readonly DemoKey[] = ['client', 'friend'];
const GROUP_MESSAGES: ReadonlyArray<{ id: string; from: DemoKey; text: string }> = [
  { id: 'demo-group-1', from: 'therapist', text: 'Welcome! What went well today, however small?' },
  { id: 'demo-group-2', from: 'friend', text: 'I took a walk at lunch, first time this week.' },
  { id: 'demo-group-3', from: 'client', text: 'I called my sister. It helped.' },
];

class SeedError extends Error {}

/**
 * A demo password that stays the same for one deployment: an HMAC of the email under the
 * JWT signing secret. Knowing it tells nothing about the secret (any signed token would
 * tell as much), and another deployment's demo passwords are different.
 */
function demoPassword(config: AppConfig, email: string): string {
  // Letters and digits only, so a double click selects all of it.
  return `demo${createHmac('sha256', config.auth.jwt.secret).update(`haven seed:demo\0${email}`).digest('hex').slice(0, 24)}`;
}

function parseOptions(): void {
  try {
    const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    if (values.help) throw new UsageError('');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

const principalOf = (user: User): Principal => ({ userId: user.id, role: user.role, sessionId: null, apiTokenId: null, isVerified: user.isVerified, rateTier: user.rateTier });

interface SeedResult {
  users: Map<DemoKey, User>;
  passwords: Map<DemoKey, string>;
  created: string[];
  repaired: string[];
  chatId: string;
  chatMessages: number;
  groupId: string;
  groupMembers: number;
  groupMessages: number;
}

/** Creates what is missing and repairs what no longer works; touches nothing else. */
async function seed(app: INestApplicationContext, config: AppConfig): Promise<SeedResult> {
  const adminUsers = app.get(AdminUsersService);
  const accounts = app.get(UsersService);
  const passwordService = app.get(PasswordService);
  const dataSource = app.get(DataSource);
  const created: string[] = [];
  const repaired: string[] = [];
  const users = new Map<DemoKey, User>();
  const passwords = new Map<DemoKey, string>();
  const fresh = new Set<DemoKey>();

  for (const account of ACCOUNTS) {
    const password = demoPassword(config, account.email);
    passwords.set(account.key, password);
    let user = await accounts.findForLogin(account.email);
    if (!user) {
      const actorId = users.get('admin')?.id ?? null;
      user = await adminUsers.createUser(
        { email: account.email, password, role: account.role, firstName: account.firstName, lastName: account.lastName },
        SYSTEM_CONTEXT,
        actorId,
      );
      created.push(`${account.key} account`);
      fresh.add(account.key);
    } else if (user.role !== account.role) {
      throw new SeedError(`${account.email} exists with the role ${user.role}, not ${account.role}. Change it back (PATCH /api/v1/admin/users/${user.id}) or delete it, then run this again.`);
    } else if (!(await passwordService.verify(user.passwordHash, password)) || (user.lockedUntil && user.lockedUntil > new Date())) {
      await resetPassword(app, user, password);
      repaired.push(`${account.key} password`);
    }
    users.set(account.key, user);
  }

  // Staff verify providers, as in real use (audited as the demo admin).
  const admin = principalOf(users.get('admin')!);
  for (const key of ['therapist', 'friend', 'client', 'admin'] as const) {
    const user = users.get(key)!;
    const changes = { ...(isProvider(user.role) && !user.isVerified ? { is_verified: true } : {}), ...(user.status !== UserStatus.Active ? { status: UserStatus.Active as const } : {}) };
    if (Object.keys(changes).length === 0) continue;
    users.set(key, await adminUsers.update(admin, user.id, { ...changes, reason: 'npm run seed:demo' }, SYSTEM_CONTEXT));
    if (!fresh.has(key)) repaired.push(`${key} ${'is_verified' in changes ? 'verification' : 'status'}`);
  }
  const as = (key: DemoKey): Principal => principalOf(users.get(key)!);
  const messages = app.get(MessageSendingService);
  const messageCount = (conversationId: string): Promise<number> => dataSource.getRepository(Message).countBy({ conversationId });

  const chat = await app.get(ConversationsService).createOrGetDirect(as('client'), users.get('therapist')!.id);
  const chatBefore = await messageCount(chat.id);
  for (const message of DIRECT_MESSAGES) await messages.send(as(message.from), chat.id, { text: message.text, client_message_id: message.id }, {});
  const chatMessages = await messageCount(chat.id);
  if (chatBefore === 0) created.push('direct chat');
  else if (chatMessages > chatBefore) created.push(`${chatMessages - chatBefore} chat messages`);

  const groups = app.get(GroupsService);
  const existingGroup = await dataSource.getRepository(Conversation).findOneBy({
    kind: ConversationKind.Group,
    name: GROUP.name,
    createdById: users.get('therapist')!.id,
    status: ConversationStatus.Active,
  });
  const groupId = existingGroup?.id ?? (await groups.create(as('therapist'), GROUP)).id;
  if (!existingGroup) created.push('support group');
  for (const key of GROUP_MEMBERS) {
    if ((await groups.get(as(key), groupId)).is_member) continue;
    await groups.join(as(key), groupId);
    if (existingGroup) created.push(`${key} group membership`);
  }
  const groupBefore = await messageCount(groupId);
  for (const message of GROUP_MESSAGES) await messages.send(as(message.from), groupId, { text: message.text, client_message_id: message.id }, {});
  const groupMessages = await messageCount(groupId);
  if (existingGroup && groupMessages > groupBefore) created.push(`${groupMessages - groupBefore} group messages`);

  const group = await groups.get(as('therapist'), groupId);
  return { users, passwords, created, repaired, chatId: chat.id, chatMessages, groupId, groupMembers: group.member_count, groupMessages };
}

/**
 * Sets the demo password again, unlocks the account and ends its sessions (whoever
 * changed the password may hold them), as a password change would; audited.
 */
async function resetPassword(app: INestApplicationContext, user: User, password: string): Promise<void> {
  const hash = await app.get(PasswordService).hash(password);
  const sessions = app.get(SessionsService);
  await app.get(DataSource).transaction(async (manager) => {
    await manager.getRepository(User).update({ id: user.id }, { passwordHash: hash, passwordChangedAt: new Date(), failedLoginCount: 0, lockedUntil: null });
    const ended = await sessions.revokeAllForUser(user.id, 'password_changed', { manager });
    await app.get(AuditService).record(
      { action: 'auth.password_changed', actorId: null, targetType: 'user', targetId: user.id, detail: { by: 'seed:demo', other_sessions_ended: ended } },
      SYSTEM_CONTEXT,
      manager,
    );
  });
  sessions.endSockets(user.id, {});
}

function report(result: SeedResult, config: AppConfig, via: string): string {
  const base = config.http.publicUrl ?? `http://localhost:${config.http.port}`;
  const client = { email: ACCOUNTS.find((a) => a.key === 'client')!.email, password: result.passwords.get('client')! };
  const head =
    result.created.length === 0
      ? `Demo data already exists in ${via}: nothing new to create. The credentials again:`
      : `Demo data created in ${via} (${result.created.join(', ')}).`;
  const rows = ACCOUNTS.map((a) => {
    const user = result.users.get(a.key)!;
    const note = [isProvider(user.role) ? 'verified' : '', user.twoFactorEnabled ? '2FA on: sign-in also asks for a code' : ''].filter(Boolean).join(', ');
    return `  ${a.key.padEnd(10)}  ${a.email.padEnd(26)}  ${result.passwords.get(a.key)!.padEnd(26)}  ${note}`.trimEnd();
  });
  return [
    head,
    ...(result.repaired.length ? [`Repaired: ${result.repaired.join(', ')}.`] : []),
    '',
    `  ${'role'.padEnd(10)}  ${'email'.padEnd(26)}  password`,
    ...rows,
    '',
    `  Direct chat  client ↔ therapist, ${result.chatMessages} messages  (id ${result.chatId})`,
    `  Group        "${GROUP.name}", ${result.groupMembers} members, ${result.groupMessages} messages  (id ${result.groupId})`,
    '',
    'Try next (with the server running: npm start):',
    `  curl -s ${base}/api/v1/auth/login -H 'Content-Type: application/json' \\`,
    `    -d '{"email":"${client.email}","password":"${client.password}"}'`,
    `  GET ${base}/api/v1/chats                          the client's chats, unread counts, last message`,
    `  GET ${base}/api/v1/chats/${result.chatId}/messages`,
    `  GET ${base}/api/v1/groups                         support groups (the group is a chat too)`,
    `  Socket.IO at ${base} with auth: { token: '<access token>' }: sign in as the therapist elsewhere and send a message`,
    `  Swagger UI ${base}/api/docs ("Authorize" with an access token); staff tools as the admin: /api/v1/admin/users`,
    '',
    'Run it again at any time: it adds only what is missing and prints these credentials again.',
  ].join('\n');
}

async function run(): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { config, via } = await commandConnection('demo data');
    let app: INestApplicationContext;
    try {
      app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger: ['error'], abortOnError: false });
    } catch (error) {
      // A server took the data directory between our check and our start: go through it.
      if (error instanceof EmbeddedDatabaseBusyError && attempt < 3) continue;
      throw error;
    }
    try {
      console.log(report(await seed(app, config), config, via));
      return;
    } finally {
      await app.close();
    }
  }
}

runCommand(
  'seed:demo',
  USAGE,
  async () => {
    parseOptions();
    // Before anything reads the configuration or opens a database.
    if (process.env.NODE_ENV === 'production') throw new UsageError('refusing to run with NODE_ENV=production: demo accounts with printed passwords do not belong there.');
    await run();
  },
  (error) => {
    if (error instanceof AppException) {
      const details = Object.values(error.fieldErrors).flat();
      return [`seed:demo: ${error.code}: ${details.length > 0 ? details.join('; ') : error.message}`];
    }
    if (error instanceof SeedError || error instanceof ConfigValidationError || error instanceof EmbeddedDatabaseBusyError) return [`seed:demo: ${error.message}`];
    return null;
  },
);
