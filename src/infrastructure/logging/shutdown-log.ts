import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { type Logger as PinoRoot, symbols } from 'pino';
import { ROOT_LOGGER } from './root-logger';

const DRAIN_WAIT_MS = 1000;

/**
 * Calls `done` once pino's stdout stream has written everything. It writes
 * asynchronously and flushes on `exit`, which a process ended by its own signal never
 * emits, so without this wait the last lines could be lost.
 */
function afterLogsWritten(root: PinoRoot, done: () => void): void {
  const stream = (root as unknown as Record<symbol, unknown>)[symbols.streamSym] as
    | { once?: (event: 'drain', listener: () => void) => void }
    | undefined;
  // Nothing pending when the line was below LOG_LEVEL, or with the (synchronous) pretty destination.
  if (!root.isLevelEnabled('info') || typeof stream?.once !== 'function') return done();
  const timer = setTimeout(done, DRAIN_WAIT_MS);
  stream.once('drain', () => {
    clearTimeout(timer);
    done();
  });
}

/** The last word of a process: "Haven stopped", with the signal that stopped it (or `closed` when the app closed itself). */
@Injectable()
export class ShutdownLog implements OnApplicationShutdown {
  private readonly logger = new Logger('Haven');

  constructor(@Inject(ROOT_LOGGER) private readonly root: PinoRoot) {}

  onApplicationShutdown(signal?: string): void {
    if (!signal) return this.stopped(null);
    // Other modules' shutdown hooks (the database, the queue) may run after this one. Once
    // all have, Nest drops its listeners and raises the signal again: this listener takes
    // it, says so, and raises it once more for the default exit.
    process.once(signal, () => {
      this.stopped(signal);
      afterLogsWritten(this.root, () => process.kill(process.pid, signal));
    });
  }

  private stopped(signal: string | null): void {
    this.logger.log({ signal }, `Haven stopped (${signal ?? 'closed'})`);
  }
}
