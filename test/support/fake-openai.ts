import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** A chat-completions request the companion sent. */
export interface CompletionRequest {
  path: string;
  authorization: string | null;
  body: { model: string; stream: boolean; messages: Array<{ role: string; content: string }> };
}

/** How the fake answers one request. */
export type FakeAnswer =
  | { kind: 'stream'; pieces: string[]; gapMs?: number }
  | { kind: 'json'; content: string }
  | { kind: 'status'; status: number }
  /** Never answers (until the client gives up or the server stops). */
  | { kind: 'hang' };

/**
 * A small OpenAI-compatible server in the test process: POST /chat/completions answers with
 * server-sent events (`data: {choices:[{delta:{content}}]}` … `data: [DONE]`), a plain JSON
 * completion, an HTTP error or nothing at all, as `answer` decides for each request (by
 * default three streamed pieces). Records every request.
 */
export class FakeOpenAi {
  readonly requests: CompletionRequest[] = [];
  answer: (request: CompletionRequest, attempt: number) => FakeAnswer = () => ({ kind: 'stream', pieces: ['Hello', ' from', ' the model.'] });
  private readonly attempts = new Map<string, number>();
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The requests whose last user message contains `marker`. */
  about(marker: string): CompletionRequest[] {
    return this.requests.filter((r) => lastUserText(r).includes(marker));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const request: CompletionRequest = { path: req.url, authorization: req.headers.authorization ?? null, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
    this.requests.push(request);
    const key = lastUserText(request);
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const answer = this.answer(request, attempt);
    switch (answer.kind) {
      case 'hang':
        return;
      case 'status':
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'fake failure' } }));
        return;
      case 'json':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: answer.content } }] }));
        return;
      case 'stream': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { role: 'assistant' } }] })}\n\n`);
        for (const piece of answer.pieces) {
          if (answer.gapMs) await new Promise((resolve) => setTimeout(resolve, answer.gapMs));
          res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: piece } }] })}\n\n`);
        }
        res.end('data: [DONE]\n\n');
      }
    }
  }
}

function lastUserText(request: CompletionRequest): string {
  const users = request.body.messages.filter((m) => m.role === 'user');
  return users.at(-1)?.content ?? '';
}
