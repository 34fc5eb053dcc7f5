/**
 * Creates an admin account (the first one, typically).
 *
 *   npm run create-admin -- --email admin@example.com [--first-name Ada] [--last-name Lovelace] [--username ada]
 *
 * The password is read from standard input when that is not a terminal (its first
 * line: `printf '%s\n' "$PASSWORD" | npm run create-admin -- --email …`), otherwise it is
 * prompted for twice without echo. There are no default credentials.
 *
 * It works on the configured database: DATABASE_URL, or the embedded one in DATA_DIR.
 * The embedded database has one owner process: when a Haven server owns DATA_DIR, the
 * admin is created through that server's database port; otherwise this command opens
 * the embedded database itself (and the server can be started afterwards). That port
 * asks for the password kept in DATA_DIR/secrets.json, which this command reads too.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from 'src/app.module';
import { Role } from 'src/common/access/permissions';
import { AppException } from 'src/common/errors/app.exception';
import { SYSTEM_CONTEXT } from 'src/common/http/request-context';
import { ConfigValidationError } from 'src/config/environment';
import { EmbeddedDatabaseBusyError } from 'src/infrastructure/database/embedded-postgres';
import { commandConnection, runCommand, UsageError } from './connection';
import { AdminUsersService } from 'src/modules/admin/admin-users.service';

const USAGE = 'usage: npm run create-admin -- --email <email> [--first-name <name>] [--last-name <name>] [--username <username>]';


function parseOptions(): { email: string; firstName?: string; lastName?: string; username?: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: 'string' },
        'first-name': { type: 'string' },
        'last-name': { type: 'string' },
        username: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError('');
  if (typeof values.email !== 'string' || !values.email.trim()) throw new UsageError('--email is required');
  return {
    email: values.email.trim(),
    firstName: values['first-name'] as string | undefined,
    lastName: values['last-name'] as string | undefined,
    username: values.username as string | undefined,
  };
}

async function readPipedPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // Echo off before the prompt shows, so nothing typed after it can ever be echoed.
    stdin.setRawMode(true);
    process.stderr.write(question);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (error?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: string): void => {
      for (const char of data) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done();
        if (char === '\u0003') return done(new UsageError('cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const password = await readPipedPassword();
    if (!password) throw new UsageError('no password on standard input (give it as the first line)');
    return password;
  }
  const password = await promptHidden('Password for the new admin: ');
  if (!password) throw new UsageError('the password must not be empty');
  if ((await promptHidden('Repeat the password: ')) !== password) throw new UsageError('the passwords do not match');
  return password;
}

async function createAdmin(options: ReturnType<typeof parseOptions>, password: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { config, via } = await commandConnection('an admin');
    let app;
    try {
      app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger: ['error'], abortOnError: false });
    } catch (error) {
      // A server took the data directory between our check and our start: go through it.
      if (error instanceof EmbeddedDatabaseBusyError && attempt < 3) continue;
      throw error;
    }
    try {
      const user = await app
        .get(AdminUsersService)
        .createUser(
          { email: options.email, password, role: Role.Admin, firstName: options.firstName, lastName: options.lastName, username: options.username },
          SYSTEM_CONTEXT,
        );
      console.log(`Created admin ${user.email} (id ${user.id}) in ${via}. Sign in with POST /api/v1/auth/login.`);
      return;
    } finally {
      await app.close();
    }
  }
}

runCommand(
  'create-admin',
  USAGE,
  async () => {
    const options = parseOptions();
    const password = await readPassword();
    await createAdmin(options, password);
  },
  (error) => {
    if (error instanceof AppException) {
      const details = Object.values(error.fieldErrors).flat();
      const lines = [`create-admin: ${details.length > 0 ? details.join('; ') : error.message}`];
      if (error.code === 'USERS.EMAIL_TAKEN') {
        lines.push('To make an existing account an admin, sign in as an admin and PATCH /api/v1/admin/users/{id} with {"role": "admin"}.');
      }
      return lines;
    }
    if (error instanceof ConfigValidationError || error instanceof EmbeddedDatabaseBusyError) return [`create-admin: ${error.message}`];
    return null;
  },
);
