import { Role } from 'src/common/access/permissions';
import { EntitlementsService } from 'src/modules/payments/entitlements.service';
import { PaymentsService } from 'src/modules/payments/payments.service';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';
import { uniqueSuffix } from './support/test-env';
import { createUserWithRole, registerUser, TestUser } from './support/users';
import { waitFor } from './support/wait';

describe('plans, subscriptions and payments (sandbox)', () => {
  let api: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    admin = await createUserWithRole(api, Role.Admin);
  });
  afterAll(() => api?.close());

  const planId = async (name: string): Promise<string> => {
    const list = await api.get('/api/v1/payments/plans');
    return list.body.data.find((p: any) => p.name === name).id;
  };
  const status = async (user: TestUser): Promise<any> => (await api.get('/api/v1/payments/status', { token: user.access })).body.data;
  const me = async (user: TestUser): Promise<any> => (await api.get('/api/v1/users/me', { token: user.access })).body.data;
  const subscriptionNotices = async (user: TestUser): Promise<string[]> => {
    const list = await api.get('/api/v1/notifications?page_size=100', { token: user.access });
    return list.body.data.filter((n: any) => n.notification_type === 'subscription').map((n: any) => n.title);
  };
  const countRows = async (table: 'subscriptions' | 'payments', userId: string): Promise<number> =>
    Number((await api.resolve(DataSource).query(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [userId]))[0].n);

  it('lists the seeded plans to anyone, with decimal prices and entitlements', async () => {
    const list = await api.get('/api/v1/payments/plans');
    expect(list.status).toBe(200);
    const names = list.body.data.map((p: any) => p.name);
    expect(names).toEqual(expect.arrayContaining(['free', 'basic', 'premium']));
    const premium = list.body.data.find((p: any) => p.name === 'premium');
    expect(premium).toMatchObject({ display_name: 'Premium Plan', price_monthly: '19.99', currency: 'USD', active: true, entitlements: { rate_tier: 'premium' } });
    expect(premium.features.length).toBeGreaterThan(0);
    expect(list.body.pagination.count).toBeGreaterThanOrEqual(3);
  });

  it('a user without a subscription is on the free plan', async () => {
    const user = await registerUser(api);
    expect(await status(user)).toMatchObject({ status: 'none', subscription: null, plan: { name: 'free' }, entitlements: { rate_tier: 'standard' } });
    expect((await me(user)).subscription_status).toBe('none');
    expect(await api.resolve(EntitlementsService).rateTierOf(user.id)).toBe('standard');
  });

  it('pm_card_visa: active at once, premium entitlements and rate tier at once, the account shows it, the user is notified', async () => {
    const user = await registerUser(api);
    const limitOf = async (): Promise<number> => Number((await api.get('/api/v1/users/me', { token: user.access })).headers.get('ratelimit-limit'));
    const standardLimit = await limitOf();
    const res = await api.post('/api/v1/payments/subscribe/', { plan_id: await planId('premium'), payment_method_id: 'pm_card_visa' }, { token: user.access });
    expect(res.status).toBe(201);
    expect(res.body.data.client_secret).toBeNull();
    expect(res.body.data.subscription).toMatchObject({ status: 'active', cancel_at_period_end: false, plan: { name: 'premium' } });
    expect(new Date(res.body.data.subscription.current_period_end).getTime()).toBeGreaterThan(Date.now() + 27 * 86_400_000);
    expect(await status(user)).toMatchObject({ status: 'active', plan: { name: 'premium' }, entitlements: { rate_tier: 'premium', companion_daily_messages: 1000 } });
    expect((await me(user)).subscription_status).toBe('active');
    // The premium tier's higher limit applies at once (the principal cache drops the user on the tier change).
    await waitFor(async () => ((await limitOf()) === standardLimit * api.config.rateLimit.premiumMultiplier ? true : null), 'the premium limit', 3_000, 20);
    const entitlements = api.resolve(EntitlementsService);
    expect(await entitlements.rateTierOf(user.id)).toBe('premium');
    expect(await entitlements.premiumUserIds()).toContain(user.id);
    expect(await subscriptionNotices(user)).toEqual(['Subscription active']);

    const history = await api.get('/api/v1/payments/history', { token: user.access });
    expect(history.body.data).toHaveLength(1);
    expect(history.body.data[0]).toMatchObject({ amount: '19.99', currency: 'USD', status: 'succeeded', purpose: 'subscription', provider: 'sandbox', reference_id: res.body.data.subscription.id });
    // Never card data: only the payment method id is kept.
    const columns = (await api.resolve(DataSource).query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'payments'`)).map((c: any) => c.column_name);
    expect(columns.filter((c: string) => /card|pan|cvc|cvv|number|expiry/.test(c))).toEqual([]);

    const again = await api.post('/api/v1/payments/subscribe', { plan: 'basic', payment_method_id: 'pm_card_visa' }, { token: user.access });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PAYMENTS.ALREADY_SUBSCRIBED');
  });

  it('pm_card_chargeDeclined: 402 with the message, the attempt stays incomplete, no entitlements; a new card replaces it', async () => {
    const user = await registerUser(api);
    const res = await api.post('/api/v1/payments/subscribe', { plan_id: await planId('premium'), payment_method_id: 'pm_card_chargeDeclined' }, { token: user.access });
    expect(res.status).toBe(402);
    expect(res.body.code).toBe('PAYMENTS.CARD_DECLINED');
    expect(res.body.message).toBe('Your card was declined.');
    expect(await status(user)).toMatchObject({ status: 'incomplete', plan: { name: 'free' }, entitlements: { rate_tier: 'standard' }, subscription: { status: 'incomplete' } });
    expect((await me(user)).subscription_status).toBe('incomplete');
    const history = await api.get('/api/v1/payments/history', { token: user.access });
    expect(history.body.data[0]).toMatchObject({ status: 'declined', failure_message: 'Your card was declined.' });

    const retried = await api.post('/api/v1/payments/subscribe', { plan_name: 'premium', payment_method_id: 'pm_card_visa' }, { token: user.access });
    expect(retried.status).toBe(201);
    expect(retried.body.data.subscription.status).toBe('active');
    const admins = await api.get(`/api/v1/admin/subscriptions?user_id=${user.id}&ordering=created_at`, { token: admin.access });
    expect(admins.body.data.map((s: any) => s.status)).toEqual(['cancelled', 'active']);
    expect((await me(user)).subscription_status).toBe('active');
  });

  it('pm_card_authenticationRequired: incomplete with a client_secret; confirming it makes the subscription active', async () => {
    const user = await registerUser(api);
    const other = await registerUser(api);
    const res = await api.post('/api/v1/payments/subscribe', { plan: 'basic', payment_method_id: 'pm_card_authenticationRequired' }, { token: user.access });
    expect(res.status).toBe(201);
    expect(res.body.data.subscription).toMatchObject({ status: 'incomplete', plan: { name: 'basic' } });
    const secret: string = res.body.data.client_secret;
    expect(secret).toMatch(/^pi_sandbox_\w+_secret_\w+$/);
    expect((await status(user)).entitlements.companion_daily_messages).toBe(20);

    // Someone else's secret is not found, like a made-up one; nothing changes.
    const foreign = await api.post('/api/v1/payments/sandbox/confirm', { client_secret: secret }, { token: other.access });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('PAYMENTS.PAYMENT_NOT_FOUND');
    expect((await api.post('/api/v1/payments/sandbox/confirm', { client_secret: 'pi_sandbox_0_secret_0000000' }, { token: user.access })).status).toBe(404);
    expect((await status(user)).status).toBe('incomplete');

    const confirmed = await api.post('/api/v1/payments/sandbox/confirm', { client_secret: secret }, { token: user.access });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data.payment).toMatchObject({ status: 'succeeded', amount: '9.99' });
    expect(confirmed.body.data.subscription).toMatchObject({ id: res.body.data.subscription.id, status: 'active' });
    expect(await status(user)).toMatchObject({ status: 'active', plan: { name: 'basic' }, entitlements: { companion_daily_messages: 100 } });
    expect(await subscriptionNotices(user)).toEqual(['Subscription active']);
    // Used once.
    expect((await api.post('/api/v1/payments/sandbox/confirm', { client_secret: secret }, { token: user.access })).status).toBe(404);
  });

  it('cancel: at the period end for a paid subscription; with none, a clear 409', async () => {
    const user = await registerUser(api);
    const none = await api.post('/api/v1/payments/cancel', undefined, { token: user.access });
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('PAYMENTS.NO_SUBSCRIPTION');
    await api.post('/api/v1/payments/subscribe', { plan: 'premium', payment_method_id: 'pm_card_visa' }, { token: user.access });
    const cancelled = await api.post('/api/v1/payments/cancel', undefined, { token: user.access });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: 'active', cancel_at_period_end: true });
    // Paid until the period ends.
    expect((await status(user)).entitlements.rate_tier).toBe('premium');
  });

  it('cancelling an incomplete attempt ends it at once and notifies', async () => {
    const user = await registerUser(api);
    await api.post('/api/v1/payments/subscribe', { plan: 'premium', payment_method_id: 'pm_card_authenticationRequired' }, { token: user.access });
    const cancelled = await api.post('/api/v1/payments/cancel', undefined, { token: user.access });
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled' });
    expect(await status(user)).toMatchObject({ status: 'none', subscription: null });
    expect((await me(user)).subscription_status).toBe('cancelled');
    expect(await subscriptionNotices(user)).toEqual(['Subscription cancelled']);
  });

  it('the sandbox settles an ended period on the next status read: renew, past due on a decline, then cancelled; cancel at period end ends it', async () => {
    const endPeriod = (userId: string) => api.resolve(DataSource).query(`UPDATE subscriptions SET current_period_end = now() - interval '1 minute' WHERE user_id = $1 AND status <> 'cancelled'`, [userId]);
    const renewing = await registerUser(api);
    await api.post('/api/v1/payments/subscribe', { plan: 'premium', payment_method_id: 'pm_card_visa' }, { token: renewing.access });
    await endPeriod(renewing.id);
    const renewed = await status(renewing);
    expect(renewed).toMatchObject({ status: 'active', entitlements: { rate_tier: 'premium' } });
    expect(new Date(renewed.subscription.current_period_end).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const history = (await api.get('/api/v1/payments/history', { token: renewing.access })).body.data;
    expect(history.map((p: any) => `${p.description}:${p.status}`)).toEqual(['Premium Plan, renewal:succeeded', 'Premium Plan, first month:succeeded']);

    // The card fails at renewal: past due (still premium) for the grace period, then cancelled.
    await api.resolve(DataSource).query(`UPDATE subscriptions SET payment_method_id = 'pm_card_chargeDeclined' WHERE user_id = $1`, [renewing.id]);
    await endPeriod(renewing.id);
    expect(await status(renewing)).toMatchObject({ status: 'past_due', entitlements: { rate_tier: 'premium' } });
    expect((await me(renewing)).subscription_status).toBe('past_due');
    await endPeriod(renewing.id);
    expect(await status(renewing)).toMatchObject({ status: 'none', subscription: null, plan: { name: 'free' } });
    expect((await me(renewing)).subscription_status).toBe('cancelled');
    expect(await subscriptionNotices(renewing)).toEqual(['Subscription cancelled', 'Payment failed', 'Subscription active']);

    const leaving = await registerUser(api);
    await api.post('/api/v1/payments/subscribe', { plan: 'premium', payment_method_id: 'pm_card_visa' }, { token: leaving.access });
    await api.post('/api/v1/payments/cancel', undefined, { token: leaving.access });
    await endPeriod(leaving.id);
    expect(await status(leaving)).toMatchObject({ status: 'none', entitlements: { rate_tier: 'standard' } });
    expect(await api.resolve(EntitlementsService).rateTierOf(leaving.id)).toBe('standard');
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const user = await registerUser(api);
    const premium = await planId('premium');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ plan_id: premium, payment_method_id: 'pm_card_visa', status: 'active' }, 'status'],
      [{ plan_id: premium, payment_method_id: 'pm_card_visa', price_monthly: '0.01' }, 'price_monthly'],
      [{ plan_id: 'premium_monthly', payment_method_id: 'pm_card_visa' }, 'plan_id'],
      [{ plan_id: premium }, 'payment_method_id'],
      [{ plan_id: premium, plan: 'premium', payment_method_id: 'pm_card_visa' }, 'plan_id'],
      [{ payment_method_id: 'pm_card_visa' }, 'plan_id'],
      [{ plan: 'Premium!', payment_method_id: 'pm_card_visa' }, 'plan'],
      [{ plan: 'premium', payment_method_id: 'pm card' }, 'payment_method_id'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post('/api/v1/payments/subscribe', body, { token: user.access });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(Object.keys(res.body.errors)).toContain(field);
    }
    const unknownMethod = await api.post('/api/v1/payments/subscribe', { plan: 'premium', payment_method_id: 'pm_card_mastercard' }, { token: user.access });
    expect(unknownMethod.status).toBe(400);
    expect(unknownMethod.body.code).toBe('PAYMENTS.UNKNOWN_PAYMENT_METHOD');
    const missingPlan = await api.post('/api/v1/payments/subscribe', { plan_id: '00000000-0000-4000-8000-000000000000', payment_method_id: 'pm_card_visa' }, { token: user.access });
    expect(missingPlan.status).toBe(404);
    expect(missingPlan.body.code).toBe('PAYMENTS.PLAN_NOT_FOUND');
    const free = await api.post('/api/v1/payments/subscribe', { plan: 'free', payment_method_id: 'pm_card_visa' }, { token: user.access });
    expect(free.body.code).toBe('PAYMENTS.PLAN_NOT_PURCHASABLE');
    expect(await countRows('subscriptions', user.id)).toBe(0);
    expect(await countRows('payments', user.id)).toBe(0);
    expect((await api.post('/api/v1/payments/subscribe', { plan: 'premium', payment_method_id: 'pm_card_visa' })).status).toBe(401);
  });

  it('concurrent subscribes of one user: exactly one subscription', async () => {
    const user = await registerUser(api);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => api.post('/api/v1/payments/subscribe', { plan: 'premium', payment_method_id: 'pm_card_visa' }, { token: user.access })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'PAYMENTS.ALREADY_SUBSCRIBED')).toBe(true);
    expect(await countRows('subscriptions', user.id)).toBe(1);
  });

  it('staff manage plans; clients may not', async () => {
    const client = await registerUser(api);
    const name = `team-${uniqueSuffix()}`;
    const body = { name, display_name: 'Team Plan', description: 'For teams', price_monthly: '49.5', currency: 'EUR', features: ['Everything'], entitlements: { rate_tier: 'premium', companion_daily_messages: 500 } };
    expect((await api.post('/api/v1/admin/plans', body, { token: client.access })).status).toBe(403);
    expect((await api.get('/api/v1/admin/plans', { token: client.access })).status).toBe(403);
    expect((await api.get('/api/v1/admin/subscriptions', { token: client.access })).status).toBe(403);
    expect((await api.get('/api/v1/admin/payments', { token: client.access })).status).toBe(403);

    const created = await api.post('/api/v1/admin/plans', body, { token: admin.access });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ name, price_monthly: '49.50', currency: 'EUR', active: true, entitlements: { rate_tier: 'premium', companion_daily_messages: 500 } });
    const id = created.body.data.id;
    expect((await api.post('/api/v1/admin/plans', body, { token: admin.access })).body.code).toBe('PAYMENTS.PLAN_NAME_TAKEN');

    const bad: Array<[Record<string, unknown>, string]> = [
      [{ ...body, name: `x-${uniqueSuffix()}`, price_monthly: '-1' }, 'price_monthly'],
      [{ ...body, name: `x-${uniqueSuffix()}`, price_monthly: '1.999' }, 'price_monthly'],
      [{ ...body, name: `x-${uniqueSuffix()}`, currency: 'eur' }, 'currency'],
      [{ ...body, name: `x-${uniqueSuffix()}`, entitlements: { rate_tier: 'gold', companion_daily_messages: 1 } }, 'entitlements'],
      // Found by the fuzz test (seed 1015704436): without entitlements it used to reach the service (500).
      [{ ...body, name: `x-${uniqueSuffix()}`, entitlements: undefined }, 'entitlements'],
      [{ ...body, name: `x-${uniqueSuffix()}`, entitlements: 'premium' }, 'entitlements'],
      [{ ...body, name: `x-${uniqueSuffix()}`, secret: true }, 'secret'],
      [{ ...body, name: `x-${uniqueSuffix()}`, currency: 'JPY', price_monthly: '10.50' }, 'price_monthly'],
    ];
    for (const [input, field] of bad) {
      const res = await api.post('/api/v1/admin/plans', input, { token: admin.access });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(Object.keys(res.body.errors).join(',')).toContain(field);
    }

    const updated = await api.patch(`/api/v1/admin/plans/${id}`, { price_monthly: '59.00', features: ['Everything', 'More'] }, { token: admin.access });
    expect(updated.body.data).toMatchObject({ price_monthly: '59.00', features: ['Everything', 'More'] });
    expect((await api.patch(`/api/v1/admin/plans/${id}`, { name: 'renamed' }, { token: admin.access })).status).toBe(400);
    expect((await api.patch(`/api/v1/admin/plans/${id}`, { price_monthly: 'free' }, { token: admin.access })).status).toBe(400);
    expect((await api.patch(`/api/v1/admin/plans/${id}`, { entitlements: 'premium' }, { token: admin.access })).body.errors).toHaveProperty('entitlements');
    expect((await api.patch(`/api/v1/admin/plans/${id}`, { display_name: 'x' }, { token: client.access })).status).toBe(403);

    const deactivated = await api.delete(`/api/v1/admin/plans/${id}`, { token: admin.access });
    expect(deactivated.body.data.active).toBe(false);
    expect((await api.get('/api/v1/payments/plans')).body.data.map((p: any) => p.name)).not.toContain(name);
    const refused = await api.post('/api/v1/payments/subscribe', { plan_id: id, payment_method_id: 'pm_card_visa' }, { token: client.access });
    expect(refused.body.code).toBe('PAYMENTS.PLAN_NOT_FOUND');
    expect((await api.get('/api/v1/admin/plans?active=false', { token: admin.access })).body.data.map((p: any) => p.id)).toContain(id);

    const missing = '00000000-0000-4000-8000-000000000000';
    for (const res of [
      await api.patch(`/api/v1/admin/plans/${missing}`, { display_name: 'x' }, { token: admin.access }),
      await api.delete(`/api/v1/admin/plans/${missing}`, { token: admin.access }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('PAYMENTS.PLAN_NOT_FOUND');
    }
    expect((await api.delete('/api/v1/admin/plans/not-a-uuid', { token: admin.access })).status).toBe(400);
  });

  it('staff list subscriptions and payments with filters; a user sees only their own history', async () => {
    const a = await registerUser(api);
    const b = await registerUser(api);
    await api.post('/api/v1/payments/subscribe', { plan: 'basic', payment_method_id: 'pm_card_visa' }, { token: a.access });
    await api.post('/api/v1/payments/subscribe', { plan: 'premium', payment_method_id: 'pm_card_chargeDeclined' }, { token: b.access });
    const basic = await api.get(`/api/v1/admin/subscriptions?plan=basic&status=active&user_id=${a.id}`, { token: admin.access });
    expect(basic.body.data).toHaveLength(1);
    expect(basic.body.data[0]).toMatchObject({ user_id: a.id, provider: 'sandbox', plan: { name: 'basic' } });
    expect((await api.get(`/api/v1/admin/subscriptions?plan=premium&user_id=${a.id}`, { token: admin.access })).body.data).toHaveLength(0);
    const declined = await api.get(`/api/v1/admin/payments?status=declined&user_id=${b.id}`, { token: admin.access });
    expect(declined.body.data).toHaveLength(1);
    expect((await api.get('/api/v1/admin/payments?status=lost', { token: admin.access })).status).toBe(400);
    expect((await api.get('/api/v1/admin/subscriptions?ordering=-secret', { token: admin.access })).status).toBe(400);
    const history = await api.get('/api/v1/payments/history', { token: b.access });
    expect(history.body.data.every((p: any) => p.status === 'declined')).toBe(true);
    expect(history.body.pagination.count).toBe(1);
  });

  it('charge() and refund() for other features: idempotent per (purpose, reference), also concurrently', async () => {
    const user = await registerUser(api);
    const payments = api.resolve(PaymentsService);
    const referenceId = `ticket-${uniqueSuffix()}`;
    const request = { userId: user.id, amountMinor: 500, currency: 'USD', paymentMethodId: 'pm_card_visa', purpose: 'event_ticket' as const, referenceId, description: 'Event ticket' };
    const results = await Promise.all(Array.from({ length: 5 }, () => payments.charge(request)));
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
    expect(results[0]).toMatchObject({ status: 'succeeded', clientSecret: null, failureMessage: null });
    expect(await countRows('payments', user.id)).toBe(1);

    expect(await payments.refund('event_ticket', referenceId)).toEqual({ paymentId: results[0].paymentId, status: 'refunded' });
    expect(await payments.refund('event_ticket', referenceId)).toEqual({ paymentId: results[0].paymentId, status: 'refunded' });
    const history = await api.get('/api/v1/payments/history', { token: user.access });
    expect(history.body.data[0]).toMatchObject({ status: 'refunded', purpose: 'event_ticket', amount: '5.00', reference_id: referenceId });

    const declined = await payments.charge({ ...request, referenceId: `ticket-${uniqueSuffix()}`, paymentMethodId: 'pm_card_chargeDeclined' });
    expect(declined).toMatchObject({ status: 'declined', failureMessage: 'Your card was declined.' });
    expect(await payments.refund('event_ticket', (await api.resolve(DataSource).query('SELECT reference_id FROM payments WHERE id = $1', [declined.paymentId]))[0].reference_id)).toEqual({
      paymentId: declined.paymentId,
      status: 'not_refundable',
    });

    // A payment that needed action: confirming it tells the feature it paid for.
    const settled: string[] = [];
    payments.onSettled('event_ticket', async (s) => {
      settled.push(`${s.referenceId}:${s.status}`);
    });
    const actionRef = `ticket-${uniqueSuffix()}`;
    const action = await payments.charge({ ...request, referenceId: actionRef, paymentMethodId: 'pm_card_authenticationRequired' });
    expect(action.status).toBe('requires_action');
    expect(await payments.charge({ ...request, referenceId: actionRef, paymentMethodId: 'pm_card_authenticationRequired' })).toEqual(action);
    const confirmed = await api.post('/api/v1/payments/sandbox/confirm', { client_secret: action.clientSecret }, { token: user.access });
    expect(confirmed.body.data).toMatchObject({ payment: { status: 'succeeded', purpose: 'event_ticket' }, subscription: null });
    expect(settled).toEqual([`${actionRef}:succeeded`]);
    expect(await payments.charge({ ...request, referenceId: actionRef })).toMatchObject({ paymentId: action.paymentId, status: 'succeeded', clientSecret: null });

    await expect(payments.charge({ ...request, referenceId: `ticket-${uniqueSuffix()}`, paymentMethodId: 'pm_nope' })).rejects.toMatchObject({ code: 'PAYMENTS.UNKNOWN_PAYMENT_METHOD' });
  });

  it('the Stripe webhook is off in sandbox mode', async () => {
    const res = await api.request('POST', '/api/v1/payments/webhooks/stripe', { rawBody: '{"id":"evt_1"}', contentType: 'application/json', headers: { 'stripe-signature': 't=1,v1=00' } });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('PAYMENTS.PROVIDER_NOT_CONFIGURED');
  });
});
