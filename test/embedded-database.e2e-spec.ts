import { Client } from 'pg';
import { EmbeddedPostgres } from 'src/infrastructure/database/embedded-postgres';

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
