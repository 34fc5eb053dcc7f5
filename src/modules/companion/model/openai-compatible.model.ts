import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { CompanionModel, ModelRequest, ModelUnavailableError } from './companion-model';

/** First retry after this long, doubling each time. */
const BACKOFF_BASE_MS = 200;
const BACKOFF_MAX_MS = 5_000;

interface CompletionChunk {
  choices?: Array<{ delta?: { content?: unknown }; message?: { content?: unknown } }>;
}

/**
 * An OpenAI-compatible chat-completions API (OpenAI, Ollama, vLLM, …): POST
 * {baseUrl}/chat/completions with `stream: true`, read as server-sent events
 * (`data: {choices:[{delta:{content}}]}` … `data: [DONE]`); a plain JSON completion is
 * accepted too. Each attempt is bounded by `timeoutMs` until the answer starts and between
 * pieces; network errors, timeouts, 429 and 5xx are retried with exponential backoff
 * before any text arrived. Logs carry statuses, never message text.
 */
@Injectable()
export class OpenAiCompatibleModel extends CompanionModel {
  readonly source = 'model' as const;
  private readonly logger = new Logger('CompanionModel');

  constructor(private readonly config: AppConfig) {
    super();
  }

  async *stream(request: ModelRequest): AsyncIterable<string> {
    const retries = this.config.companion.retries;
    for (let attempt = 0; ; attempt++) {
      let answered = false;
      try {
        for await (const piece of this.attempt(request)) {
          answered = true;
          yield piece;
        }
        if (!answered) throw new ModelUnavailableError('empty reply', false);
        return;
      } catch (error) {
        const failure = error instanceof ModelUnavailableError ? error : new ModelUnavailableError(describe(error), true);
        // Text already sent on cannot be taken back: a retry would repeat it.
        if (answered || !failure.retryable || attempt >= retries) {
          this.logger.warn(`model request failed after ${attempt + 1} attempt(s): ${failure.message}`);
          throw failure;
        }
        await sleep(Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_MAX_MS));
      }
    }
  }

  private async *attempt(request: ModelRequest): AsyncIterable<string> {
    const model = this.config.companion.model;
    if (!model) throw new ModelUnavailableError('no model configured', false);
    const controller = new AbortController();
    // Runs only while waiting on the model (for the answer to start, then for each piece), not while the caller handles a piece.
    let timer: NodeJS.Timeout | undefined;
    const waiting = <T>(work: Promise<T>): Promise<T> => {
      timer = setTimeout(() => controller.abort(), this.config.companion.timeoutMs);
      return work.finally(() => clearTimeout(timer));
    };
    try {
      const response = await waiting(
        fetch(`${model.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(model.apiKey ? { authorization: `Bearer ${model.apiKey}` } : {}) },
          body: JSON.stringify({ model: model.name, messages: request.messages, stream: true }),
          signal: controller.signal,
        }),
      );
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new ModelUnavailableError(`HTTP ${response.status}`, response.status === 429 || response.status >= 500);
      }
      if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        const content = contentOf((await waiting(response.json())) as CompletionChunk, 'message');
        if (content) yield content;
        return;
      }
      if (!response.body) return;
      const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await waiting(reader.read());
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, end).replace(/\r$/, '');
          buffer = buffer.slice(end + 1);
          if (!line.startsWith('data:')) continue;
          const data = line.slice('data:'.length).trim();
          if (data === '[DONE]') {
            await reader.cancel().catch(() => undefined);
            return;
          }
          const content = contentOf(parseChunk(data), 'delta');
          if (content) yield content;
        }
      }
    } catch (error) {
      if (error instanceof ModelUnavailableError) throw error;
      throw new ModelUnavailableError(controller.signal.aborted ? 'timed out' : describe(error), true);
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }
}

function parseChunk(data: string): CompletionChunk {
  try {
    return JSON.parse(data) as CompletionChunk;
  } catch {
    throw new ModelUnavailableError('malformed stream event', false);
  }
}

function contentOf(chunk: CompletionChunk, field: 'delta' | 'message'): string {
  const content = chunk.choices?.[0]?.[field]?.content;
  return typeof content === 'string' ? content : '';
}

/** An error's name and code, never a body or message text. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    return cause?.code ? `${error.name} (${cause.code})` : error.name;
  }
  return 'unknown error';
}
