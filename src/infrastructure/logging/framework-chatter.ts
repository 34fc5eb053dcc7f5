import type { LogFn, Logger } from 'pino';

/**
 * Contexts of Nest's own start-up lines: one per module ("… dependencies initialized"),
 * controller and route ("Mapped {…}"), about 120 in all, which would bury the one line
 * that says where Haven listens.
 */
export const FRAMEWORK_CONTEXTS: ReadonlySet<string> = new Set([
  'NestFactory',
  'NestApplication',
  'NestMicroservice',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
]);

const INFO = 30;

function isFrameworkChatter(first: unknown): boolean {
  const context = (first as { context?: unknown } | null)?.context;
  return typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context);
}

/**
 * pino's `hooks.logMethod`: Nest's loggers reach pino through nestjs-pino's Logger as
 * `info({context}, message)`, so the framework's info lines are re-issued at debug here
 * (LOG_LEVEL=debug still shows them). Its warnings and errors keep their level.
 */
export function demoteFrameworkChatter(this: Logger, args: Parameters<LogFn>, method: LogFn, level: number): void {
  if (level === INFO && isFrameworkChatter(args[0])) {
    this.debug(...args);
    return;
  }
  method.apply(this, args);
}
