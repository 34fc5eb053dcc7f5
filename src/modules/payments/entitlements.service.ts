import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RateTier } from 'src/common/access/principal';
import { DataSource, EntityManager, In } from 'typeorm';
import { Plan } from './entities/plan.entity';
import { Subscription } from './entities/subscription.entity';
import { FREE_PLAN_NAME, PlanEntitlements, SubscriptionState } from './payments.types';

/** What a user gets with no plan row at all (the free plan deleted or deactivated). */
export const BASELINE_ENTITLEMENTS: PlanEntitlements = { rate_tier: 'standard', companion_daily_messages: 20 };

/**
 * The statuses whose plan's entitlements apply. Past due keeps them: it is the provider's
 * retry window (Stripe retries, then cancels: customer.subscription.deleted), the grace
 * period; incomplete (never paid) and cancelled do not.
 */
export const ENTITLED_STATUSES: readonly SubscriptionState[] = ['active', 'past_due'];

export const grantsEntitlements = (status: SubscriptionState): boolean => ENTITLED_STATUSES.includes(status);

/**
 * The one place that says what a user's plan unlocks: the current subscription's plan
 * while it is active or past due, else the free plan's entitlements.
 */
@Injectable()
export class EntitlementsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The entitlements and the plan they come from. */
  async entitlementsOf(userId: string, manager?: EntityManager): Promise<{ plan: Plan | null; entitlements: PlanEntitlements }> {
    const em = manager ?? this.dataSource.manager;
    const subscription = await em.getRepository(Subscription).findOne({
      where: { userId, status: In([...ENTITLED_STATUSES]) },
      relations: { plan: true },
    });
    if (subscription?.plan) return { plan: subscription.plan, entitlements: subscription.plan.entitlements };
    const free = await this.freePlan(em);
    return { plan: free, entitlements: free?.entitlements ?? BASELINE_ENTITLEMENTS };
  }

  /** The user's rate-limit tier from their plan (the same answer users.rate_tier projects for the request path). */
  async rateTierOf(userId: string): Promise<RateTier> {
    return (await this.entitlementsOf(userId)).entitlements.rate_tier;
  }

  /** Ids of the users whose plan grants the premium rate tier now. */
  async premiumUserIds(): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(Subscription)
      .createQueryBuilder('s')
      .innerJoin('s.plan', 'p')
      .select('s.userId', 'user_id')
      .where('s.status IN (:...statuses)', { statuses: ENTITLED_STATUSES })
      .andWhere(`p.entitlements ->> 'rate_tier' = 'premium'`)
      .getRawMany<{ user_id: string }>();
    return rows.map((r) => r.user_id);
  }

  /** The rate tier a subscription in this state on this plan grants. */
  tierFor(status: SubscriptionState, plan: Plan): RateTier {
    return grantsEntitlements(status) ? plan.entitlements.rate_tier : 'standard';
  }

  freePlan(manager?: EntityManager): Promise<Plan | null> {
    return (manager ?? this.dataSource.manager).getRepository(Plan).findOneBy({ name: FREE_PLAN_NAME, active: true });
  }
}
