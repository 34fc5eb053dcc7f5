import { Logger } from '@nestjs/common';
import { pino } from 'pino';
import { demoteFrameworkChatter } from './framework-chatter';
import { prettyLine, wantsPrettyLogs } from './pretty-destination';
import { ShutdownLog } from './shutdown-log';

/** A pino logger with the app's hook, writing its JSON lines into an array. */
function capture(level: string): { logger: pino.Logger; lines: Array<{ level: number; context?: string; msg: string }> } {
  const lines: Array<{ level: number; context?: string; msg: string }> = [];
  const logger = pino({ level, hooks: { logMethod: demoteFrameworkChatter } }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('framework start-up chatter', () => {
  it("is dropped at info: Nest's module and route lines, not Haven's own or the framework's warnings", () => {
    const { logger, lines } = capture('info');
    logger.info({ context: 'RoutesResolver' }, 'ChatsController {/api/v1/chats}:');
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/v1/chats, GET} route');
    logger.info({ context: 'InstanceLoader' }, 'ChatModule dependencies initialized');
    logger.info({ context: 'NestApplication' }, 'Nest application successfully started');
    logger.info({ context: 'Haven' }, 'Haven 0.1.0 listening');
    logger.child({ request_id: 'r1' }).info({ context: 'Database' }, 'applied migrations');
    logger.warn({ context: 'InstanceLoader' }, 'something odd');
    expect(lines.map((l) => [l.level, l.context, l.msg])).toEqual([
      [30, 'Haven', 'Haven 0.1.0 listening'],
      [30, 'Database', 'applied migrations'],
      [40, 'InstanceLoader', 'something odd'],
    ]);
  });

  it('shows at debug, as debug lines', () => {
    const { logger, lines } = capture('debug');
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/health, GET} route');
    logger.child({ request_id: 'r1' }).info({ context: 'InstanceLoader' }, 'AppModule dependencies initialized');
    expect(lines.map((l) => [l.level, l.context])).toEqual([
      [20, 'RouterExplorer'],
      [20, 'InstanceLoader'],
    ]);
  });
});

describe('pretty logs', () => {
  it('only for a terminal outside production', () => {
    expect(wantsPrettyLogs('development', true)).toBe(true);
    expect(wantsPrettyLogs('test', true)).toBe(true);
    expect(wantsPrettyLogs('production', true)).toBe(false);
    expect(wantsPrettyLogs('development', false)).toBe(false);
    expect(wantsPrettyLogs('development', undefined)).toBe(false);
  });

  it('puts a request on one line and names the context', () => {
    const plain = (text: string): string => text.replace(/\u001b\[\d+m/g, '');
    const format = prettyLine();
    const request = plain(
      format(
        JSON.stringify({
          level: 30,
          time: 0,
          pid: 1,
          hostname: 'h',
          req: { method: 'GET', url: '/api/v1/users/me', user_agent: 'curl' },
          res: { status: 200 },
          responseTime: 4,
          request_id: 'abc-123',
          msg: 'request completed',
        }),
      ),
    );
    expect(request).toMatch(/INFO.*: GET \/api\/v1\/users\/me 200 4 ms abc-123\n$/);
    expect(request).not.toMatch(/user_agent|pid|hostname/);
    const context = plain(format(JSON.stringify({ level: 40, time: 0, context: 'Database', msg: 'slow query' })));
    expect(context).toMatch(/WARN.*: \[Database\] slow query\n$/);
  });
});

describe('the shutdown line', () => {
  afterEach(() => jest.restoreAllMocks());

  it('says "Haven stopped (closed)" when the app closes itself', () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    new ShutdownLog(pino({ level: 'silent' })).onApplicationShutdown();
    expect(log).toHaveBeenCalledWith({ signal: null }, 'Haven stopped (closed)');
  });

  it('on a signal, waits for the re-raised signal (after every shutdown hook), says so, then raises it for the default exit', () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
    new ShutdownLog(pino({ level: 'silent' })).onApplicationShutdown('SIGUSR2');
    expect(log).not.toHaveBeenCalled();
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(log).toHaveBeenCalledWith({ signal: 'SIGUSR2' }, 'Haven stopped (SIGUSR2)');
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGUSR2');
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
