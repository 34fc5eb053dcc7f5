import type { DestinationStream } from 'pino';
import { isColorSupported, prettyFactory } from 'pino-pretty';

/** Pretty lines only for a person at a terminal: anything reading stdout (CI, tests, collectors) gets JSON. */
export function wantsPrettyLogs(env: string, stdoutIsTTY: boolean | undefined): boolean {
  return stdoutIsTTY === true && env !== 'production';
}

interface RequestLine {
  req?: { method?: string; url?: string };
  res?: { status?: number };
  responseTime?: number;
  request_id?: string;
}

/**
 * One short line per log: time, level, `[context]` and the message; a request becomes
 * `GET /api/v1/users/me 200 4 ms`. Errors and other fields follow on indented lines.
 */
export function prettyLine(): (line: string) => string {
  return prettyFactory({
    colorize: isColorSupported,
    translateTime: 'SYS:HH:MM:ss.l',
    // Shown in the message line instead (the shutdown line names its signal there too).
    ignore: 'pid,hostname,context,req,res,responseTime,request_id,signal',
    messageFormat: (log, messageKey, _level, { colors }) => {
      const context = typeof log.context === 'string' ? `${colors.yellow(`[${log.context}]`)} ` : '';
      const { req, res, responseTime, request_id } = log as RequestLine;
      const message = typeof log[messageKey] === 'string' ? log[messageKey] : '';
      if (req?.method && res?.status !== undefined) {
        const outcome = message === 'request completed' ? '' : ` ${message}`;
        return `${context}${req.method} ${req.url ?? ''} ${res.status} ${responseTime ?? '?'} ms${outcome} ${colors.gray(request_id ?? '')}`;
      }
      return `${context}${message}`;
    },
  });
}

/**
 * Writes each prettified line to stdout at once, in order with the start-up banner
 * (pino-pretty's own stream is asynchronous, so the last lines before an exit could be lost).
 */
export function prettyDestination(): DestinationStream {
  const format = prettyLine();
  return {
    write: (line: string): void => {
      process.stdout.write(format(line));
    },
  };
}
