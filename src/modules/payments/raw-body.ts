import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppException } from 'src/common/errors/app.exception';

const RAW_BODY = Symbol('haven:raw-body');

/**
 * Keeps the exact bytes of the request body for the given routes (a webhook's signature
 * is over them, not over re-serialized JSON), then hands the same bytes on to the usual
 * parser. Reads at most `limit` bytes (the app's body limit), like the parser would.
 */
export function keepRawBody(fastify: FastifyInstance, routes: string[], limit: number): void {
  const wanted = new Set(routes);
  const collect = async (request: FastifyRequest, payload: AsyncIterable<Buffer | string>): Promise<Readable> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.length;
      if (size > limit) throw new AppException('COMMON.PAYLOAD_TOO_LARGE', 'The request body is too large.');
      chunks.push(buffer);
    }
    const raw = Buffer.concat(chunks);
    (request as FastifyRequest & { [RAW_BODY]?: Buffer })[RAW_BODY] = raw;
    return Readable.from([raw]);
  };
  // Callback style: every other route passes straight through, without a promise per request.
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (!wanted.has(request.routeOptions.url ?? '')) return done(null, payload);
    collect(request, payload).then(
      (body) => done(null, body),
      (error: Error) => done(error),
    );
  });
}

/** The body's bytes kept by keepRawBody(), if this route keeps them. */
export const rawBodyOf = (request: FastifyRequest): Buffer | undefined => (request as FastifyRequest & { [RAW_BODY]?: Buffer })[RAW_BODY];
