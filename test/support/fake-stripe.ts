import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the Stripe SDK sent, with its form body flattened (`items[0][price]` → value). */
export interface StripeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  idempotencyKey: string | null;
  authorization: string | null;
}

interface Intent {
  id: string;
  object: 'payment_intent';
  status: string;
  amount: number;
  currency: string;
  client_secret: string;
  last_payment_error: { message: string } | null;
}

const PERIOD_SECONDS = 30 * 86_400;

/**
 * The few Stripe endpoints Haven's adapter calls, in the test process: customers, payment
 * method attach, prices, subscriptions (create, update, cancel), payment intents (create,
 * retrieve) and refunds. Outcomes follow Stripe's test payment methods: `pm_card_visa`
 * succeeds, `pm_card_chargeDeclined` is declined (also when attached, as Stripe does),
 * `pm_card_authenticationRequired` needs action; any other id is unknown. Records every
 * request and replays the answer to a repeated idempotency key, like Stripe.
 */
export class FakeStripe {
  readonly requests: StripeRequest[] = [];
  private readonly intents = new Map<string, Intent>();
  private readonly subscriptions = new Map<string, Record<string, unknown>>();
  private readonly replies = new Map<string, { status: number; body: unknown }>();
  private counter = 0;
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The requests to one endpoint, e.g. `POST /v1/subscriptions`. */
  sent(method: string, pathPattern: RegExp | string): StripeRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof pathPattern === 'string' ? r.path === pathPattern : pathPattern.test(r.path)));
  }

  intent(id: string): Intent | undefined {
    return this.intents.get(id);
  }

  private id(prefix: string): string {
    this.counter += 1;
    return `${prefix}_fake${this.counter}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const params = Object.fromEntries(new URLSearchParams(req.method === 'GET' || req.method === 'DELETE' ? url.search : Buffer.concat(chunks).toString('utf8')));
    const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : null;
    const request: StripeRequest = { method: req.method ?? 'GET', path: url.pathname, params, idempotencyKey, authorization };
    this.requests.push(request);
    const replayKey = idempotencyKey ? `${request.method} ${request.path} ${idempotencyKey}` : null;
    const earlier = replayKey ? this.replies.get(replayKey) : undefined;
    const reply = earlier ?? this.route(request);
    if (replayKey && !earlier) this.replies.set(replayKey, reply);
    res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': this.id('req') });
    res.end(JSON.stringify(reply.body));
  }

  private route(r: StripeRequest): { status: number; body: unknown } {
    if (r.authorization !== 'Bearer sk_test_haven') return error(401, 'invalid_request_error', 'Invalid API Key provided');
    const p = r.params;
    let match: RegExpMatchArray | null;
    if (r.method === 'POST' && r.path === '/v1/customers') return ok({ id: this.id('cus'), object: 'customer', email: p.email ?? null });
    if (r.method === 'POST' && (match = r.path.match(/^\/v1\/payment_methods\/([^/]+)\/attach$/))) {
      const pm = decodeURIComponent(match[1]);
      if (!KNOWN_METHODS.has(pm)) return error(400, 'invalid_request_error', `No such PaymentMethod: '${pm}'`, 'payment_method');
      if (pm === 'pm_card_chargeDeclined') return error(402, 'card_error', 'Your card was declined.', undefined, 'card_declined');
      return ok({ id: pm, object: 'payment_method', customer: p.customer });
    }
    if (r.method === 'POST' && r.path === '/v1/prices') {
      return ok({ id: this.id('price'), object: 'price', currency: p.currency, unit_amount: Number(p.unit_amount), recurring: { interval: p['recurring[interval]'] } });
    }
    if (r.method === 'POST' && r.path === '/v1/subscriptions') return this.createSubscription(p);
    if ((match = r.path.match(/^\/v1\/subscriptions\/([^/]+)$/))) {
      const subscription = this.subscriptions.get(match[1]);
      if (!subscription) return error(404, 'invalid_request_error', 'No such subscription', 'id');
      if (r.method === 'POST' && p.cancel_at_period_end !== undefined) subscription.cancel_at_period_end = p.cancel_at_period_end === 'true';
      if (r.method === 'DELETE') subscription.status = 'canceled';
      return ok(subscription);
    }
    if (r.method === 'GET' && (match = r.path.match(/^\/v1\/payment_intents\/([^/]+)$/))) {
      const intent = this.intents.get(match[1]);
      return intent ? ok(intent) : error(404, 'invalid_request_error', 'No such payment_intent', 'intent');
    }
    if (r.method === 'POST' && r.path === '/v1/payment_intents') {
      const pm = p.payment_method;
      if (!KNOWN_METHODS.has(pm)) return error(400, 'invalid_request_error', `No such PaymentMethod: '${pm}'`, 'payment_method');
      const intent = this.newIntent(Number(p.amount), p.currency, pm);
      if (intent.status === 'requires_payment_method') {
        return { status: 402, body: { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.', payment_intent: intent } } };
      }
      return ok(intent);
    }
    if (r.method === 'POST' && r.path === '/v1/refunds') {
      const intent = this.intents.get(p.payment_intent);
      if (!intent || intent.status !== 'succeeded') return error(400, 'invalid_request_error', 'This PaymentIntent has no successful charge', 'payment_intent');
      return ok({ id: this.id('re'), object: 'refund', payment_intent: intent.id, amount: intent.amount, status: 'succeeded' });
    }
    return error(404, 'invalid_request_error', `Unrecognized request URL (${r.method}: ${r.path})`);
  }

  private newIntent(amount: number, currency: string, pm: string): Intent {
    const id = this.id('pi');
    const status = pm === 'pm_card_visa' ? 'succeeded' : pm === 'pm_card_authenticationRequired' ? 'requires_action' : 'requires_payment_method';
    const intent: Intent = {
      id,
      object: 'payment_intent',
      status,
      amount,
      currency,
      client_secret: `${id}_secret_${this.counter}abc`,
      last_payment_error: status === 'requires_payment_method' ? { message: 'Your card was declined.' } : null,
    };
    this.intents.set(id, intent);
    return intent;
  }

  private createSubscription(p: Record<string, string>): { status: number; body: unknown } {
    const pm = p.default_payment_method;
    const intent = this.newIntent(1999, 'usd', pm);
    const paid = intent.status === 'succeeded';
    const now = Math.floor(Date.now() / 1000);
    const invoice = {
      id: this.id('in'),
      object: 'invoice',
      status: paid ? 'paid' : 'open',
      amount_due: intent.amount,
      amount_paid: paid ? intent.amount : 0,
      currency: intent.currency,
      confirmation_secret: p['expand[0]'] === 'latest_invoice.confirmation_secret' ? { client_secret: intent.client_secret, type: 'payment_intent' } : null,
      payments: { object: 'list', data: [{ object: 'invoice_payment', payment: { type: 'payment_intent', payment_intent: intent.id } }] },
    };
    const subscription = {
      id: this.id('sub'),
      object: 'subscription',
      customer: p.customer,
      status: paid ? 'active' : 'incomplete',
      cancel_at_period_end: false,
      metadata: { haven_subscription_id: p['metadata[haven_subscription_id]'] },
      items: { object: 'list', data: [{ id: this.id('si'), price: { id: p['items[0][price]'] }, current_period_start: now, current_period_end: now + PERIOD_SECONDS }] },
      latest_invoice: invoice,
    };
    this.subscriptions.set(subscription.id, { ...subscription, latest_invoice: invoice.id });
    return ok(subscription);
  }
}

const KNOWN_METHODS = new Set(['pm_card_visa', 'pm_card_chargeDeclined', 'pm_card_authenticationRequired']);

const ok = (body: unknown): { status: number; body: unknown } => ({ status: 200, body });

function error(status: number, type: string, message: string, param?: string, code?: string): { status: number; body: unknown } {
  return { status, body: { error: { type, message, ...(param ? { param } : {}), ...(code ? { code } : {}) } } };
}
