import Stripe from 'stripe';
import { PaymentsService } from 'src/modules/payments/payments.service';
import { DataSource } from 'typeorm';
import { FakeStripe } from './support/fake-stripe';
import { startTestApp, TestApp } from './support/test-app';
import { uniqueSuffix } from './support/test-env';
import { registerUser, TestUser } from './support/users';

const WEBHOOK_SECRET = 'whsec_haven_test_secret';
const stripe = new Stripe('sk_test_unused');

describe('payments through Stripe (an in-process fake of its API)', () => {
  let api: TestApp;
  let fake: FakeStripe;

  beforeAll(async () => {
    fake = new FakeStripe();
    const url = await fake.start();
    api = await startTestApp({ env: { STRIPE_SECRET_KEY: 'sk_test_haven', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: url } });
  });
  afterAll(async () => {
    await api?.close();
    await fake?.stop();
  });

  const sql = (text: string, values: unknown[] = []): Promise<any[]> => api.resolve(DataSource).query(text, values);
  const status = async (user: TestUser): Promise<any> => (await api.get('/api/v1/payments/status', { token: user.access })).body.data;
  const subscribe = (user: TestUser, plan: string, pm: string) => api.post('/api/v1/payments/subscribe', { plan, payment_method_id: pm }, { token: user.access });
  const providerIdOf = async (subscriptionId: string): Promise<string> => (await sql('SELECT provider_subscription_id FROM subscriptions WHERE id = $1', [subscriptionId]))[0].provider_subscription_id;
  const notices = async (user: TestUser): Promise<string[]> =>
    (await api.get('/api/v1/notifications?page_size=100', { token: user.access })).body.data.filter((n: any) => n.notification_type === 'subscription').map((n: any) => n.title);

  /** Posts an event the way Stripe does: the JSON body and its signature header. */
  const deliver = (event: Record<string, unknown>, options: { secret?: string; body?: string } = {}) => {
    const payload = JSON.stringify(event);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? WEBHOOK_SECRET });
    return api.request('POST', '/api/v1/payments/webhooks/stripe', { rawBody: options.body ?? payload, contentType: 'application/json', headers: { 'stripe-signature': header } });
  };
  const event = (type: string, object: Record<string, unknown>): Record<string, unknown> => ({
    id: `evt_${uniqueSuffix()}${uniqueSuffix()}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object },
  });
  const invoiceEvent = (type: 'invoice.paid' | 'invoice.payment_failed', providerSubscriptionId: string, invoiceId: string, periodEnd: number) =>
    event(type, {
      id: invoiceId,
      object: 'invoice',
      amount_due: 1999,
      amount_paid: type === 'invoice.paid' ? 1999 : 0,
      currency: 'usd',
      parent: { type: 'subscription_details', subscription_details: { subscription: providerSubscriptionId } },
      lines: { object: 'list', data: [{ period: { start: periodEnd - 30 * 86_400, end: periodEnd } }] },
    });

  it('subscribes through Stripe: customer, attached payment method, a price made once, an allow_incomplete subscription', async () => {
    const user = await registerUser(api);
    const res = await subscribe(user, 'premium', 'pm_card_visa');
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ subscription: { status: 'active', plan: { name: 'premium' } }, client_secret: null });

    const [customer] = fake.sent('POST', '/v1/customers');
    expect(customer.params).toMatchObject({ email: user.email, 'metadata[haven_user_id]': user.id });
    expect(customer.authorization).toBe('Bearer sk_test_haven');
    expect(fake.sent('POST', /^\/v1\/payment_methods\/pm_card_visa\/attach$/)[0].params.customer).toMatch(/^cus_/);
    const [price] = fake.sent('POST', '/v1/prices');
    expect(price.params).toMatchObject({ currency: 'usd', unit_amount: '1999', 'recurring[interval]': 'month', 'product_data[name]': 'Premium Plan' });
    const [created] = fake.sent('POST', '/v1/subscriptions');
    expect(created.params).toMatchObject({
      customer: expect.stringMatching(/^cus_/),
      'items[0][price]': expect.stringMatching(/^price_/),
      default_payment_method: 'pm_card_visa',
      payment_behavior: 'allow_incomplete',
      'metadata[haven_subscription_id]': res.body.data.subscription.id,
    });
    expect(created.idempotencyKey).toBe(`haven-subscription-${res.body.data.subscription.id}`);
    const [row] = await sql('SELECT provider, provider_customer_id, provider_subscription_id FROM subscriptions WHERE id = $1', [res.body.data.subscription.id]);
    expect(row).toMatchObject({ provider: 'stripe', provider_customer_id: expect.stringMatching(/^cus_/), provider_subscription_id: expect.stringMatching(/^sub_/) });
    const history = (await api.get('/api/v1/payments/history', { token: user.access })).body.data;
    expect(history[0]).toMatchObject({ provider: 'stripe', status: 'succeeded', amount: '19.99', provider_payment_id: expect.stringMatching(/^in_/) });

    // The plan keeps its Stripe price: the next subscriber makes none.
    await subscribe(await registerUser(api), 'premium', 'pm_card_visa');
    expect(fake.sent('POST', '/v1/prices')).toHaveLength(1);
    expect(fake.sent('POST', '/v1/subscriptions')[1].params['items[0][price]']).toBe(created.params['items[0][price]']);
  });

  it('a declined card: 402, nothing recorded; an unknown payment method: 400', async () => {
    const user = await registerUser(api);
    const declined = await subscribe(user, 'premium', 'pm_card_chargeDeclined');
    expect(declined.status).toBe(402);
    expect(declined.body.code).toBe('PAYMENTS.CARD_DECLINED');
    const unknown = await subscribe(user, 'premium', 'pm_does_not_exist');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('PAYMENTS.UNKNOWN_PAYMENT_METHOD');
    expect(await sql('SELECT id FROM subscriptions WHERE user_id = $1', [user.id])).toEqual([]);
    expect(await status(user)).toMatchObject({ status: 'none' });
  });

  it('action required: incomplete with the invoice’s client secret; invoice.paid makes it active, once for three deliveries', async () => {
    const user = await registerUser(api);
    const res = await subscribe(user, 'premium', 'pm_card_authenticationRequired');
    expect(res.status).toBe(201);
    expect(res.body.data.subscription.status).toBe('incomplete');
    expect(res.body.data.client_secret).toMatch(/^pi_fake\d+_secret_/);
    // The sandbox's completion route is off with Stripe: Stripe.js completes the action.
    const sandbox = await api.post('/api/v1/payments/sandbox/confirm', { client_secret: res.body.data.client_secret }, { token: user.access });
    expect(sandbox.status).toBe(404);
    expect(sandbox.body.code).toBe('PAYMENTS.PROVIDER_NOT_CONFIGURED');

    const subscriptionId = res.body.data.subscription.id;
    const [payment] = await sql("SELECT provider_payment_id FROM payments WHERE reference_id = $1 AND purpose = 'subscription'", [subscriptionId]);
    const periodEnd = Math.floor(Date.now() / 1000) + 31 * 86_400;
    const paid = invoiceEvent('invoice.paid', await providerIdOf(subscriptionId), payment.provider_payment_id, periodEnd);
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await deliver(paid));
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
    expect(outcomes.map((o) => o.body.data.processed)).toEqual([true, false, false]);
    expect(await status(user)).toMatchObject({ status: 'active', entitlements: { rate_tier: 'premium' }, subscription: { current_period_end: new Date(periodEnd * 1000).toISOString() } });
    expect((await api.get('/api/v1/users/me', { token: user.access })).body.data.subscription_status).toBe('active');
    expect(await notices(user)).toEqual(['Subscription active']);
    const payments = await sql('SELECT status FROM payments WHERE user_id = $1', [user.id]);
    expect(payments).toEqual([{ status: 'succeeded' }]);
  });

  it('three concurrent deliveries of a failed renewal: past due once, one notice, one payment row', async () => {
    const user = await registerUser(api);
    const res = await subscribe(user, 'premium', 'pm_card_visa');
    const providerId = await providerIdOf(res.body.data.subscription.id);
    const failed = invoiceEvent('invoice.payment_failed', providerId, `in_renewal_${uniqueSuffix()}`, Math.floor(Date.now() / 1000) + 60 * 86_400);
    const outcomes = await Promise.all([deliver(failed), deliver(failed), deliver(failed)]);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
    expect(outcomes.filter((o) => o.body.data.processed)).toHaveLength(1);
    expect(await sql('SELECT count(*)::int AS n FROM payment_webhook_events WHERE id = $1', [failed.id])).toEqual([{ n: 1 }]);
    expect(await status(user)).toMatchObject({ status: 'past_due', entitlements: { rate_tier: 'premium' } });
    expect(await notices(user)).toEqual(['Payment failed', 'Subscription active']);
    expect(await sql("SELECT status FROM payments WHERE user_id = $1 ORDER BY created_at", [user.id])).toEqual([{ status: 'succeeded' }, { status: 'failed' }]);

    // The retry succeeds: a renewal payment and active again.
    const renewed = invoiceEvent('invoice.paid', providerId, (failed.data as any).object.id, Math.floor(Date.now() / 1000) + 60 * 86_400);
    expect((await deliver(renewed)).body.data.processed).toBe(true);
    expect((await status(user)).status).toBe('active');
    expect(await sql("SELECT status FROM payments WHERE user_id = $1 ORDER BY created_at", [user.id])).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
  });

  it('a forged or tampered signature: 400, nothing stored or changed', async () => {
    const user = await registerUser(api);
    const res = await subscribe(user, 'premium', 'pm_card_visa');
    const deleted = event('customer.subscription.deleted', { id: await providerIdOf(res.body.data.subscription.id), object: 'subscription', status: 'canceled', cancel_at_period_end: false });
    const forged = await deliver(deleted, { secret: 'whsec_someone_else' });
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('PAYMENTS.BAD_SIGNATURE');
    const tampered = await deliver(event('customer.subscription.deleted', { id: 'sub_other' }), { body: JSON.stringify(deleted) });
    expect(tampered.status).toBe(400);
    const unsigned = await api.request('POST', '/api/v1/payments/webhooks/stripe', { rawBody: JSON.stringify(deleted), contentType: 'application/json' });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.code).toBe('PAYMENTS.BAD_SIGNATURE');
    const oversized = await api.request('POST', '/api/v1/payments/webhooks/stripe', {
      rawBody: JSON.stringify({ ...deleted, padding: 'x'.repeat(api.config.http.bodyLimitBytes) }),
      contentType: 'application/json',
      headers: { 'stripe-signature': 't=1,v1=00' },
    });
    expect(oversized.status).toBe(413);
    expect(oversized.body.code).toBe('COMMON.PAYLOAD_TOO_LARGE');
    expect(await sql('SELECT id FROM payment_webhook_events WHERE id = $1', [deleted.id])).toEqual([]);
    expect((await status(user)).status).toBe('active');

    // The same event, signed right: the subscription ends, the account drops to the standard tier.
    expect((await deliver(deleted)).body.data.processed).toBe(true);
    expect(await status(user)).toMatchObject({ status: 'none', plan: { name: 'free' }, entitlements: { rate_tier: 'standard' } });
    expect((await api.get('/api/v1/users/me', { token: user.access })).body.data.subscription_status).toBe('cancelled');
    expect(await notices(user)).toEqual(['Subscription cancelled', 'Subscription active']);
  });

  it('cancel asks Stripe to cancel at the period end; customer.subscription.updated keeps the state in step', async () => {
    const user = await registerUser(api);
    const res = await subscribe(user, 'basic', 'pm_card_visa');
    const providerId = await providerIdOf(res.body.data.subscription.id);
    const cancelled = await api.post('/api/v1/payments/cancel', undefined, { token: user.access });
    expect(cancelled.body.data).toMatchObject({ status: 'active', cancel_at_period_end: true });
    expect(fake.sent('POST', `/v1/subscriptions/${providerId}`)[0].params).toEqual({ cancel_at_period_end: 'true' });

    const periodEnd = Math.floor(Date.now() / 1000) + 40 * 86_400;
    const updated = event('customer.subscription.updated', {
      id: providerId,
      object: 'subscription',
      status: 'past_due',
      cancel_at_period_end: false,
      items: { object: 'list', data: [{ current_period_end: periodEnd }] },
    });
    expect((await deliver(updated)).body.data.processed).toBe(true);
    expect((await status(user)).subscription).toMatchObject({ status: 'past_due', cancel_at_period_end: false, current_period_end: new Date(periodEnd * 1000).toISOString() });
  });

  it('charges and refunds for other features go through PaymentIntents; payment_intent events settle them', async () => {
    const user = await registerUser(api);
    const payments = api.resolve(PaymentsService);
    const request = { userId: user.id, amountMinor: 2500, currency: 'EUR', paymentMethodId: 'pm_card_visa', purpose: 'event_ticket' as const, referenceId: `t-${uniqueSuffix()}`, description: 'Coffee chat ticket' };
    const charged = await payments.charge(request);
    expect(charged).toMatchObject({ status: 'succeeded', clientSecret: null });
    const sent = fake.sent('POST', '/v1/payment_intents').at(-1)!;
    expect(sent.params).toMatchObject({ amount: '2500', currency: 'eur', payment_method: 'pm_card_visa', confirm: 'true', description: 'Coffee chat ticket' });
    expect(sent.idempotencyKey).toBe(`haven-event_ticket-${request.referenceId}`);
    expect(await payments.charge(request)).toEqual(charged);
    expect(fake.sent('POST', '/v1/payment_intents').filter((r) => r.idempotencyKey === sent.idempotencyKey)).toHaveLength(1);

    expect(await payments.refund('event_ticket', request.referenceId)).toEqual({ paymentId: charged.paymentId, status: 'refunded' });
    expect(fake.sent('POST', '/v1/refunds').at(-1)!.params.payment_intent).toMatch(/^pi_/);

    const declined = await payments.charge({ ...request, referenceId: `t-${uniqueSuffix()}`, paymentMethodId: 'pm_card_chargeDeclined' });
    expect(declined).toMatchObject({ status: 'declined', failureMessage: 'Your card was declined.' });

    const settled: string[] = [];
    payments.onSettled('event_ticket', async (s) => {
      settled.push(`${s.referenceId}:${s.status}`);
    });
    const actionRef = `t-${uniqueSuffix()}`;
    const action = await payments.charge({ ...request, referenceId: actionRef, paymentMethodId: 'pm_card_authenticationRequired' });
    expect(action.status).toBe('requires_action');
    expect(action.clientSecret).toMatch(/_secret_/);
    const [row] = await sql('SELECT provider_payment_id FROM payments WHERE id = $1', [action.paymentId]);
    const succeeded = event('payment_intent.succeeded', { id: row.provider_payment_id, object: 'payment_intent', status: 'succeeded' });
    await Promise.all([deliver(succeeded), deliver(succeeded), deliver(succeeded)]);
    expect(settled).toEqual([`${actionRef}:succeeded`]);
    expect(await payments.charge({ ...request, referenceId: actionRef })).toMatchObject({ status: 'succeeded', clientSecret: null });
  });
});
