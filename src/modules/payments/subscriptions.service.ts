import { oneOfAliases } from 'src/common/validation/aliases';
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { violatedConstraint } from 'src/infrastructure/database/hot-queries.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UsersService } from 'src/modules/users/users.service';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import { EntitlementsService, grantsEntitlements } from './entitlements.service';
import { Payment } from './entities/payment.entity';
import { Plan } from './entities/plan.entity';
import { Subscription } from './entities/subscription.entity';
import {
  AdminSubscriptionDto,
  AdminSubscriptionListQueryDto,
  SandboxConfirmResultDto,
  SubscribeDto,
  SubscribeResultDto,
  SubscriptionDto,
  SubscriptionStatusDto,
} from './payments.dto';
import { PaymentsService, toPaymentDto } from './payments.service';
import { SubscriptionState } from './payments.types';
import { planNotFound, PlansService, toPlanDto } from './plans.service';
import { PaymentProvider } from './providers/payment-provider';

/** Sorting of the staff's subscription list. */
export const SUBSCRIPTIONS_ORDERING = {
  orderable: { created_at: 's.createdAt', current_period_end: 's.currentPeriodEnd', status: 's.status' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

const CURRENT_STATUSES: SubscriptionState[] = ['incomplete', 'active', 'past_due'];
/** The sandbox's billing period and, after a failed renewal, how long past due lasts before it is cancelled. */
const SANDBOX_PERIOD_MS = 30 * 86_400_000;
const SANDBOX_GRACE_MS = 7 * 86_400_000;

/** What the user is told when their subscription changes state (never clinical content). */
const STATE_NOTICES = new Map<SubscriptionState, { title: string; message: (plan: string) => string }>([
  ['active', { title: 'Subscription active', message: (plan) => `Your ${plan} subscription is active.` }],
  ['past_due', { title: 'Payment failed', message: (plan) => `The payment for your ${plan} subscription failed; update your payment method to keep it.` }],
  ['cancelled', { title: 'Subscription cancelled', message: (plan) => `Your ${plan} subscription has ended.` }],
]);

export function toSubscriptionDto(subscription: Subscription, plan: Plan): SubscriptionDto {
  return {
    id: subscription.id,
    status: subscription.status,
    current_period_end: subscription.currentPeriodEnd?.toISOString() ?? null,
    cancel_at_period_end: subscription.cancelAtPeriodEnd,
    plan: toPlanDto(plan),
    cancelled_at: subscription.cancelledAt?.toISOString() ?? null,
    created_at: subscription.createdAt.toISOString(),
  };
}

export interface SubscriptionChange {
  status?: SubscriptionState;
  currentPeriodEnd?: Date | null;
  cancelAtPeriodEnd?: boolean;
}

/**
 * Subscriptions: subscribe through the configured provider, the caller's status, cancel at
 * period end, the sandbox's completion of a payment that needed action, and every state
 * change (here or from a webhook) through applyChange(), which projects the status and the
 * plan's rate tier onto the account and notifies the user, in the caller's transaction.
 */
@Injectable()
export class SubscriptionsService {
  private readonly logger = new Logger(SubscriptionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly provider: PaymentProvider,
    private readonly plans: PlansService,
    private readonly payments: PaymentsService,
    private readonly entitlements: EntitlementsService,
    private readonly users: UsersService,
    private readonly directory: UserDirectoryService,
    private readonly notifications: NotificationsService,
  ) {}

  async subscribe(principal: Principal, dto: SubscribeDto): Promise<SubscribeResultDto> {
    const plan = await this.plans.activePlan(planSelector(dto));
    if (plan.priceMonthlyMinor === 0) {
      throw new AppException('PAYMENTS.PLAN_NOT_PURCHASABLE', 'The free plan needs no subscription: cancel the current one to return to it.');
    }
    const current = await this.current(principal.userId);
    if (current && current.status !== 'incomplete') throw alreadySubscribed();
    const id = randomUUID();
    const started = await this.provider.startSubscription({
      userId: principal.userId,
      email: await this.directory.activeEmail(principal.userId),
      customerId: await this.payments.customerOf(principal.userId),
      plan,
      paymentMethodId: dto.payment_method_id,
      subscriptionId: id,
    });
    const status: SubscriptionState = started.payment.status === 'succeeded' ? 'active' : 'incomplete';
    let replaced: Subscription | null = null;
    let subscription: Subscription;
    try {
      subscription = await this.dataSource.transaction(async (manager) => {
        // An earlier attempt that was never paid gives way to this one.
        replaced = await manager.getRepository(Subscription).findOne({ where: { userId: principal.userId, status: 'incomplete' }, lock: { mode: 'pessimistic_write' } });
        if (replaced) await manager.getRepository(Subscription).update({ id: replaced.id }, { status: 'cancelled', cancelledAt: new Date() });
        const row = manager.getRepository(Subscription).create({
          id,
          userId: principal.userId,
          planId: plan.id,
          status,
          currentPeriodEnd: started.currentPeriodEnd,
          cancelAtPeriodEnd: false,
          cancelledAt: null,
          provider: this.provider.name,
          providerCustomerId: started.customerId,
          providerSubscriptionId: started.subscriptionId,
          paymentMethodId: dto.payment_method_id,
        });
        await manager.getRepository(Subscription).insert(row);
        await manager.getRepository(Payment).insert({
          id: randomUUID(),
          userId: principal.userId,
          amountMinor: plan.priceMonthlyMinor,
          currency: plan.currency,
          status: started.payment.status,
          purpose: 'subscription',
          referenceId: id,
          description: `${plan.displayName}, first month`,
          provider: this.provider.name,
          providerPaymentId: started.payment.providerPaymentId,
          paymentMethodId: dto.payment_method_id,
          clientSecret: started.payment.clientSecret,
          failureMessage: started.payment.failureMessage,
        });
        if (started.createdPriceId) await this.plans.rememberProviderPrice(plan, started.createdPriceId, manager);
        await this.project(row, plan, manager);
        if (status === 'active') await this.notify(row, plan, 'active', manager);
        return manager.getRepository(Subscription).findOneByOrFail({ id });
      });
    } catch (error) {
      if (violatedConstraint(error) !== 'ux_subscriptions_user_current') throw error;
      // Another subscribe of the same user won the race: undo this one at the provider.
      await this.cancelAtProvider(started.subscriptionId);
      throw alreadySubscribed();
    }
    const previous = replaced as Subscription | null;
    if (previous) await this.cancelAtProvider(previous.providerSubscriptionId);
    if (started.payment.status === 'declined') {
      throw new AppException('PAYMENTS.CARD_DECLINED', started.payment.failureMessage ?? 'The payment was declined.', {
        payment_method_id: [started.payment.failureMessage ?? 'declined'],
      });
    }
    return { subscription: toSubscriptionDto(subscription, plan), client_secret: started.payment.clientSecret };
  }

  /** The caller's current subscription (if any), and the plan and entitlements that apply. */
  async status(principal: Principal): Promise<SubscriptionStatusDto> {
    const found = await this.current(principal.userId);
    const current = found ? await this.settleSandboxPeriod(found) : null;
    const { plan, entitlements } = await this.entitlements.entitlementsOf(principal.userId);
    const currentPlan = current ? await this.plans.byId(current.planId) : null;
    const applying = plan ?? currentPlan;
    if (!applying) throw planNotFound();
    return {
      status: current?.status ?? 'none',
      plan: toPlanDto(applying),
      entitlements: { rate_tier: entitlements.rate_tier, companion_daily_messages: entitlements.companion_daily_messages },
      subscription: current && currentPlan ? toSubscriptionDto(current, currentPlan) : null,
    };
  }

  /**
   * Cancels the caller's subscription: a paid one at the end of its period (it keeps its
   * entitlements until then), one never paid (incomplete) at once.
   */
  async cancel(principal: Principal): Promise<SubscriptionDto> {
    const current = await this.current(principal.userId);
    if (!current) throw new AppException('PAYMENTS.NO_SUBSCRIPTION', 'You have no subscription to cancel.');
    const immediately = current.status === 'incomplete';
    await this.provider.cancelSubscription(current.providerSubscriptionId, !immediately);
    const change: SubscriptionChange = immediately ? { status: 'cancelled' } : { cancelAtPeriodEnd: true };
    const updated = await this.dataSource.transaction((manager) => this.applyChange(current.id, change, manager));
    const plan = await this.plans.byId(current.planId);
    if (!updated || !plan) throw new AppException('PAYMENTS.NO_SUBSCRIPTION', 'You have no subscription to cancel.');
    return toSubscriptionDto(updated, plan);
  }

  /**
   * Sandbox only: completes the customer's action on a payment that needed it (what 3-D
   * Secure in the app would do). The payment succeeds; its subscription becomes active.
   * Someone else's or an unknown secret: PAYMENTS.PAYMENT_NOT_FOUND.
   */
  async confirmSandboxPayment(principal: Principal, clientSecret: string): Promise<SandboxConfirmResultDto> {
    if (this.provider.name !== 'sandbox') {
      throw new AppException('PAYMENTS.PROVIDER_NOT_CONFIGURED', 'Sandbox payments are off: Stripe is configured; the app completes the action with Stripe.js.');
    }
    return this.dataSource.transaction(async (manager) => {
      const payment = await manager.getRepository(Payment).findOne({
        where: { clientSecret, userId: principal.userId, provider: 'sandbox', status: 'requires_action' },
        lock: { mode: 'pessimistic_write' },
      });
      if (!payment) throw new AppException('PAYMENTS.PAYMENT_NOT_FOUND', 'No payment waits for this client secret.');
      await manager.getRepository(Payment).update({ id: payment.id }, { status: 'succeeded', clientSecret: null });
      let subscription: SubscriptionDto | null = null;
      if (payment.purpose === 'subscription') {
        const updated = await this.applyChange(payment.referenceId, { status: 'active' }, manager);
        const plan = updated ? await this.plans.byId(updated.planId, manager) : null;
        if (updated && plan) subscription = toSubscriptionDto(updated, plan);
      } else {
        await this.payments.settled(payment, 'succeeded', manager);
      }
      const confirmed = await manager.getRepository(Payment).findOneByOrFail({ id: payment.id });
      return { payment: toPaymentDto(confirmed), subscription };
    });
  }

  /** Every subscription, for staff, with filters. */
  async list(query: AdminSubscriptionListQueryDto): Promise<Paginated<AdminSubscriptionDto>> {
    const builder = this.dataSource.getRepository(Subscription).createQueryBuilder('s').innerJoinAndSelect('s.plan', 'p');
    if (query.status) builder.andWhere('s.status = :status', { status: query.status });
    if (query.plan) builder.andWhere('p.name = :plan', { plan: query.plan });
    if (query.user_id) builder.andWhere('s.userId = :userId', { userId: query.user_id });
    const page = await paginate(builder, query, { ...SUBSCRIPTIONS_ORDERING, searchable: ['p.name', 's.providerSubscriptionId'], dateColumn: 's.createdAt', tieBreaker: 's.id' });
    // Object.assign rather than a spread, for the reason toUserDto gives.
    return page.map((s) =>
      Object.assign(toSubscriptionDto(s, s.plan as Plan), {
        user_id: s.userId,
        provider: s.provider,
        provider_subscription_id: s.providerSubscriptionId,
      }),
    );
  }

  /**
   * Moves a subscription (locked) in the caller's transaction: status, period end, cancel at
   * period end. A status change projects onto the account and notifies the user.
   * Returns the row as changed (null: no such subscription).
   */
  async applyChange(subscriptionId: string, change: SubscriptionChange, manager: EntityManager): Promise<Subscription | null> {
    const repository = manager.getRepository(Subscription);
    const subscription = await repository.findOne({ where: { id: subscriptionId }, lock: { mode: 'pessimistic_write' } });
    if (!subscription) return null;
    // A cancelled subscription stays cancelled (a late event cannot revive it; a new one is subscribed instead).
    if (subscription.status === 'cancelled') return subscription;
    const statusChanged = change.status !== undefined && change.status !== subscription.status;
    if (change.status !== undefined) subscription.status = change.status;
    if (change.currentPeriodEnd !== undefined) subscription.currentPeriodEnd = change.currentPeriodEnd;
    if (change.cancelAtPeriodEnd !== undefined) subscription.cancelAtPeriodEnd = change.cancelAtPeriodEnd;
    if (statusChanged && subscription.status === 'cancelled') subscription.cancelledAt = new Date();
    await repository.save(subscription);
    if (statusChanged) {
      const plan = await manager.getRepository(Plan).findOneByOrFail({ id: subscription.planId });
      await this.project(subscription, plan, manager);
      await this.notify(subscription, plan, subscription.status, manager);
    }
    return subscription;
  }

  /** Our subscription behind a provider's subscription id. */
  async byProviderId(providerSubscriptionId: string, manager: EntityManager): Promise<Subscription | null> {
    return manager.getRepository(Subscription).findOneBy({ provider: this.provider.name, providerSubscriptionId });
  }

  /**
   * The sandbox has no billing clock: when a sandbox subscription's period has ended, the
   * next read of its status settles it as Stripe would. Set to cancel: cancelled. Active:
   * renewed by charging its payment method again (a decline, or a method that needs the
   * customer's action off-session, makes it past due for a grace period). Past due after
   * the grace period: cancelled.
   */
  private async settleSandboxPeriod(subscription: Subscription): Promise<Subscription | null> {
    const periodEnd = subscription.currentPeriodEnd;
    if (this.provider.name !== 'sandbox' || !periodEnd || periodEnd.getTime() > Date.now() || !grantsEntitlements(subscription.status)) return subscription;
    if (subscription.cancelAtPeriodEnd || subscription.status === 'past_due') {
      const ended = await this.dataSource.transaction((manager) => this.applyChange(subscription.id, { status: 'cancelled' }, manager));
      return ended?.status === 'cancelled' ? null : ended;
    }
    const plan = await this.plans.byId(subscription.planId);
    if (!plan) return subscription;
    const outcome = await this.provider.charge({
      userId: subscription.userId,
      amountMinor: plan.priceMonthlyMinor,
      currency: plan.currency,
      paymentMethodId: subscription.paymentMethodId,
      customerId: null,
      description: `${plan.displayName}, renewal`,
      idempotencyKey: `haven-renewal-${subscription.id}-${periodEnd.getTime()}`,
      metadata: {},
    });
    const paid = outcome.status === 'succeeded';
    return this.dataSource.transaction(async (manager) => {
      const locked = await manager.getRepository(Subscription).findOne({ where: { id: subscription.id }, lock: { mode: 'pessimistic_write' } });
      // Another read settled this period meanwhile.
      if (!locked || locked.currentPeriodEnd?.getTime() !== periodEnd.getTime()) return locked;
      await manager.getRepository(Payment).insert({
        userId: subscription.userId,
        amountMinor: plan.priceMonthlyMinor,
        currency: plan.currency,
        status: paid ? 'succeeded' : 'failed',
        purpose: 'subscription',
        referenceId: subscription.id,
        description: `${plan.displayName}, renewal`,
        provider: 'sandbox',
        providerPaymentId: outcome.providerPaymentId,
        paymentMethodId: subscription.paymentMethodId,
        clientSecret: null,
        failureMessage: paid ? null : (outcome.failureMessage ?? 'The renewal needs your action; subscribe again with another payment method.'),
      });
      const next = new Date(periodEnd.getTime() + (paid ? SANDBOX_PERIOD_MS : SANDBOX_GRACE_MS));
      return this.applyChange(subscription.id, { status: paid ? 'active' : 'past_due', currentPeriodEnd: next }, manager);
    });
  }

  private current(userId: string): Promise<Subscription | null> {
    return this.dataSource.getRepository(Subscription).findOneBy({ userId, status: In(CURRENT_STATUSES) });
  }

  /** The account shows the subscription's status and the rate tier it grants (users.subscription_status, users.rate_tier). */
  private async project(subscription: Subscription, plan: Plan, manager: EntityManager): Promise<void> {
    // A cancelled row projects only while it is the user's newest (not when an incomplete attempt gives way).
    const newer = await manager.getRepository(Subscription).existsBy({ userId: subscription.userId, status: Not('cancelled'), id: Not(subscription.id) });
    if (newer) return;
    await this.users.applySubscription(
      subscription.userId,
      { subscriptionStatus: subscription.status, rateTier: this.entitlements.tierFor(subscription.status, plan) },
      manager,
    );
  }

  private async notify(subscription: Subscription, plan: Plan, status: SubscriptionState, manager: EntityManager): Promise<void> {
    const notice = STATE_NOTICES.get(status);
    if (!notice) return;
    await this.notifications.notifyUsers(
      [subscription.userId],
      { title: notice.title, message: notice.message(plan.displayName), type: NotificationType.Subscription, relatedId: subscription.id },
      manager,
    );
  }

  /** Best effort: a provider subscription we no longer track is cancelled; a failure is logged (Stripe expires unpaid ones itself). */
  private async cancelAtProvider(providerSubscriptionId: string): Promise<void> {
    try {
      await this.provider.cancelSubscription(providerSubscriptionId, false);
    } catch (error) {
      this.logger.warn(`Could not cancel provider subscription ${providerSubscriptionId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

const alreadySubscribed = (): AppException =>
  new AppException('PAYMENTS.ALREADY_SUBSCRIBED', 'You already have a subscription; cancel it before subscribing to another plan.');

/** Exactly one of plan_id (HumanLink), plan or plan_name (SafeTalk). */
function planSelector(dto: SubscribeDto): { id: string } | { name: string } {
  const value = oneOfAliases(
    [
      ['plan_id', dto.plan_id],
      ['plan', dto.plan],
      ['plan_name', dto.plan_name],
    ],
    'plan_id',
  );
  return dto.plan_id !== undefined ? { id: value } : { name: value };
}
