import { connect as tcpConnect } from 'node:net';
import { Client } from 'pg';
import { EmbeddedPostgres } from 'src/infrastructure/database/embedded-postgres';

interface BackendMessage {
  type: string;
  body: Buffer;
}

/**
 * A client that ignores the password challenge and sends a query right away: pg never
 * sends anything without a password, a hostile local process would. Returns what the
 * server answered until it closed the connection.
 */
async function queryWithoutPassword(port: number, sql: string): Promise<BackendMessage[]> {
  const frame = (type: string, body: Buffer): Buffer => {
    const head = Buffer.alloc(5);
    head.write(type, 0, 'latin1');
    head.writeInt32BE(4 + body.length, 1);
    return Buffer.concat([head, body]);
  };
  const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(8 + params.length, 0);
  startup.writeInt32BE(196608, 4); // protocol 3.0
  const socket = tcpConnect(port, '127.0.0.1');
  socket.write(Buffer.concat([startup, params]));
  const messages: BackendMessage[] = [];
  let buffer = Buffer.alloc(0);
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      while (buffer.length >= 5 && buffer.length >= 1 + buffer.readInt32BE(1)) {
        const end = 1 + buffer.readInt32BE(1);
        const message = { type: String.fromCharCode(buffer[0]), body: buffer.subarray(5, end) };
        messages.push(message);
        buffer = buffer.subarray(end);
        if (message.type === 'R') socket.write(frame('Q', Buffer.from(`${sql}\0`)));
      }
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  return messages;
}

/** An ErrorResponse's fields by their code letter (C: SQLSTATE, S: severity, M: message). */
function errorFields(message: BackendMessage): Record<string, string> {
  const parts = message.body.toString('utf8').split('\0').filter(Boolean);
  return Object.fromEntries(parts.map((part) => [part[0], part.slice(1)]));
}

/** The zero-setup database: one PGlite served to several wire-protocol clients. */
describe('embedded PostgreSQL (PGlite over the wire protocol)', () => {
  let db: EmbeddedPostgres;
  const clients: Client[] = [];
  const connect = async (): Promise<Client> => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    db = await EmbeddedPostgres.start('memory://', 8);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await db?.stop();
  });

  it('asks for the password: refuses none (28P01) or a wrong one (28P01), serves the right one', async () => {
    const url = new URL(db.url);
    const port = Number(url.port);
    expect(url.password.length).toBeGreaterThanOrEqual(32);

    const skipped = await queryWithoutPassword(port, 'CREATE TABLE sneaked_in (n int)');
    // The challenge (AuthenticationSASL offering SCRAM-SHA-256), then FATAL 28P01 and a closed connection.
    expect(skipped.map((m) => m.type)).toEqual(['R', 'E']);
    expect(skipped[0].body.readInt32BE(0)).toBe(10);
    expect(skipped[0].body.subarray(4).toString()).toBe('SCRAM-SHA-256\0\0');
    expect(errorFields(skipped[1])).toMatchObject({ S: 'FATAL', C: '28P01', M: 'password authentication failed for user "postgres"' });

    const wrong = new URL(db.url);
    wrong.password = 'postgres';
    await expect(new Client({ connectionString: wrong.toString() }).connect()).rejects.toMatchObject({
      code: '28P01',
      message: expect.stringMatching(/password authentication failed/),
    });
    // pg itself stops at the challenge when it has no password to answer with.
    const anonymous = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await expect(anonymous.connect()).rejects.toThrow(/password/);
    // It leaves its socket open, holding one of the server's connections: close it.
    await anonymous.end().catch(() => undefined);

    const client = await connect();
    expect((await client.query('SELECT current_user AS u, to_regclass($1) AS t', ['sneaked_in'])).rows).toEqual([{ u: 'postgres', t: null }]);
  });

  it('never mixes up concurrent parameterised queries of different clients', async () => {
    const [a, b, c] = await Promise.all([connect(), connect(), connect()]);
    const runs = Array.from({ length: 200 }, (_, i) => {
      switch (i % 3) {
        case 0:
          return a.query('SELECT $1::int + 1 AS v', [i]).then((r) => expect(r.rows[0].v).toBe(i + 1));
        case 1:
          return b.query('SELECT $1::text || $2::text AS v', [`x${i}`, 'y']).then((r) => expect(r.rows[0].v).toBe(`x${i}y`));
        default:
          return c.query('SELECT $1::int * $2::int * $3::int AS v', [i, 2, 3]).then((r) => expect(r.rows[0].v).toBe(i * 6));
      }
    });
    await Promise.all(runs);
  });

  it('runs another client only after a transaction ends, and sees its commit', async () => {
    const [owner, other] = await Promise.all([connect(), connect()]);
    await owner.query('CREATE TABLE tx_probe (n int)');
    await owner.query('BEGIN');
    await owner.query('INSERT INTO tx_probe VALUES ($1)', [1]);
    let otherDone = false;
    const read = other.query('SELECT count(*)::int AS n FROM tx_probe').then((r) => {
      otherDone = true;
      return r.rows[0].n as number;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(otherDone).toBe(false);
    await owner.query('INSERT INTO tx_probe VALUES ($1)', [2]);
    await owner.query('COMMIT');
    expect(await read).toBe(2);
  });

  it('rolls back the open transaction of a client that disconnects', async () => {
    const [quitter, other] = await Promise.all([connect(), connect()]);
    await quitter.query('CREATE TABLE quit_probe (n int)');
    await quitter.query('BEGIN');
    await quitter.query('INSERT INTO quit_probe VALUES (1)');
    const read = other.query('SELECT count(*)::int AS n FROM quit_probe');
    await quitter.end();
    expect((await read).rows[0].n).toBe(0);
  });
});
