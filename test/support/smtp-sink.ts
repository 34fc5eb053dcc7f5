import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
}

/** A real SMTP server inside the test process that keeps what it receives. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** While true, every recipient is refused with a temporary error (a mail server that is down for mail). */
  refusing = false;
  private held: Promise<void> | null = null;
  private release: (() => void) | null = null;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (_address, _session, callback) => {
      if (this.refusing) {
        const error = new Error('mailbox unavailable, try again later') as Error & { responseCode: number };
        error.responseCode = 451;
        callback(error);
        return;
      }
      callback();
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => void this.accept(Buffer.concat(chunks), session, callback));
    },
  });

  /** Records a message once any pause is over, then answers the client. */
  private async accept(data: Buffer, session: SMTPServerSession, callback: () => void): Promise<void> {
    await this.held;
    const raw = data.toString('utf8');
    this.received.push({
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
      raw,
      subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '',
    });
    callback();
  }

  /** Holds every message's acceptance until `resume()`: a slow mail server. */
  pause(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  resume(): void {
    this.release?.();
    this.held = null;
  }

  async start(): Promise<string> {
    // A client that drops its (pooled) connection must not take the test process down.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
