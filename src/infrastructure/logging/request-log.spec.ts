import fastify from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import { pino } from 'pino';
import { registerRequestLog } from './request-log';

interface Line {
  msg: string;
  request_id?: string;
  res?: { status: number };
}

/** A bare Fastify with the request log; its one route logs through nestjs-pino after an await, as a service would. */
async function serve(requestIds: boolean): Promise<{ lines: Line[]; recorded: number[]; requestId: string; storeSeen: boolean }> {
  const lines: Line[] = [];
  const root = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const logger = new PinoLogger({ pinoHttp: { logger: root }, renameContext: 'context' });
  const recorded: number[] = [];
  const app = fastify();
  registerRequestLog(app, root, { requestIds }, (_request, reply) => recorded.push(reply.statusCode));
  let storeSeen = false;
  app.get('/probe', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    storeSeen = storage.getStore() !== undefined;
    logger.info('probe line');
    return { ok: true };
  });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${base}/probe?secret=query`);
    expect(res.status).toBe(200);
    await res.json();
    // The access line is written once the response has gone out.
    const deadline = Date.now() + 5_000;
    while (!lines.some((l) => l.msg === 'request completed')) {
      if (Date.now() > deadline) throw new Error('no access line within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { lines, recorded, requestId: String(res.headers.get('x-request-id')), storeSeen };
  } finally {
    await app.close();
  }
}

describe('the request log', () => {
  it('writes the access line with the request id, and by default leaves lines logged meanwhile untagged', async () => {
    const { lines, recorded, requestId, storeSeen } = await serve(false);
    expect(requestId).not.toBe('undefined');
    expect(storeSeen).toBe(false);
    expect(lines.map((l) => [l.msg, l.request_id])).toEqual([
      ['probe line', undefined],
      ['request completed', requestId],
    ]);
    expect(lines[1]).toMatchObject({ req: { method: 'GET', url: '/probe' }, res: { status: 200 } });
    expect(recorded).toEqual([200]);
  });

  it('with requestIds, tags a line logged while the request is served with its request id', async () => {
    const { lines, recorded, requestId, storeSeen } = await serve(true);
    expect(storeSeen).toBe(true);
    expect(lines.map((l) => [l.msg, l.request_id])).toEqual([
      ['probe line', requestId],
      ['request completed', requestId],
    ]);
    expect(recorded).toEqual([200]);
  });
});
