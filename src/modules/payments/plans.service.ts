import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { violatedConstraint } from 'src/infrastructure/database/hot-queries.service';
import { EntityManager, Repository } from 'typeorm';
import { Plan } from './entities/plan.entity';
import { fromMinorUnits, toMinorUnits } from 'src/common/money/money';
import { AdminPlanListQueryDto, CreatePlanDto, PlanDto, UpdatePlanDto } from './payments.dto';

/** Sorting of plan lists: cheapest first. */
export const PLANS_ORDERING = {
  orderable: { price_monthly: 'p.priceMonthlyMinor', name: 'p.name', created_at: 'p.createdAt' },
  defaultOrdering: 'price_monthly',
} satisfies ListOrdering;

export const planNotFound = (): AppException => new AppException('PAYMENTS.PLAN_NOT_FOUND', 'Plan not found.');

export function toPlanDto(plan: Plan): PlanDto {
  return {
    id: plan.id,
    name: plan.name,
    display_name: plan.displayName,
    description: plan.description,
    price_monthly: fromMinorUnits(plan.priceMonthlyMinor, plan.currency),
    currency: plan.currency,
    features: plan.features,
    entitlements: { rate_tier: plan.entitlements.rate_tier, companion_daily_messages: plan.entitlements.companion_daily_messages },
    active: plan.active,
  };
}

function minorOrThrow(amount: string, currency: string): number {
  const minor = toMinorUnits(amount, currency);
  if (minor === null) throw AppException.validation('price_monthly', `price_monthly has more decimals than ${currency} allows`);
  return minor;
}

/** Plans: the public list, staff management, and lookups for subscribing. */
@Injectable()
export class PlansService {
  constructor(@InjectRepository(Plan) private readonly plans: Repository<Plan>) {}

  /** Active plans, for everyone. */
  async listActive(query: PaginationQueryDto): Promise<Paginated<PlanDto>> {
    const builder = this.plans.createQueryBuilder('p').where('p.active = true');
    return (await paginate(builder, query, { ...PLANS_ORDERING, searchable: ['p.name', 'p.displayName'], tieBreaker: 'p.id' })).map(toPlanDto);
  }

  /** Every plan, for staff. */
  async list(query: AdminPlanListQueryDto): Promise<Paginated<PlanDto>> {
    const builder = this.plans.createQueryBuilder('p');
    if (query.active !== undefined) builder.where('p.active = :active', { active: query.active === 'true' });
    return (await paginate(builder, query, { ...PLANS_ORDERING, searchable: ['p.name', 'p.displayName'], tieBreaker: 'p.id' })).map(toPlanDto);
  }

  async create(dto: CreatePlanDto): Promise<PlanDto> {
    const plan = this.plans.create({
      id: randomUUID(),
      name: dto.name,
      displayName: dto.display_name.trim(),
      description: dto.description?.trim() ?? '',
      priceMonthlyMinor: minorOrThrow(dto.price_monthly, dto.currency),
      currency: dto.currency,
      features: dto.features ?? [],
      entitlements: { rate_tier: dto.entitlements.rate_tier, companion_daily_messages: dto.entitlements.companion_daily_messages },
      active: true,
      providerPriceId: null,
    });
    try {
      await this.plans.insert(plan);
    } catch (error) {
      if (violatedConstraint(error) === 'ux_plans_name') throw new AppException('PAYMENTS.PLAN_NAME_TAKEN', 'A plan with this name exists.', { name: ['is taken'] });
      throw error;
    }
    return toPlanDto(await this.plans.findOneByOrFail({ id: plan.id }));
  }

  /** Changes a plan; a new price applies to new subscriptions (Stripe gets a new price on first use). */
  async update(id: string, dto: UpdatePlanDto): Promise<PlanDto> {
    const plan = await this.plans.findOneBy({ id });
    if (!plan) throw planNotFound();
    if (dto.display_name !== undefined) plan.displayName = dto.display_name.trim();
    if (dto.description !== undefined) plan.description = dto.description.trim();
    if (dto.features !== undefined) plan.features = dto.features;
    if (dto.entitlements !== undefined) plan.entitlements = { rate_tier: dto.entitlements.rate_tier, companion_daily_messages: dto.entitlements.companion_daily_messages };
    if (dto.active !== undefined) plan.active = dto.active;
    if (dto.price_monthly !== undefined) {
      const minor = minorOrThrow(dto.price_monthly, plan.currency);
      if (minor !== plan.priceMonthlyMinor) plan.providerPriceId = null;
      plan.priceMonthlyMinor = minor;
    }
    await this.plans.save(plan);
    return toPlanDto(plan);
  }

  /** Hides a plan from new subscribers; current subscriptions keep it. */
  async deactivate(id: string): Promise<PlanDto> {
    return this.update(id, { active: false });
  }

  /** An active plan by id or name, for subscribing; PAYMENTS.PLAN_NOT_FOUND otherwise. */
  async activePlan(by: { id: string } | { name: string }): Promise<Plan> {
    const plan = await this.plans.findOneBy({ ...by, active: true });
    if (!plan) throw planNotFound();
    return plan;
  }

  async byId(id: string, manager?: EntityManager): Promise<Plan | null> {
    return (manager ? manager.getRepository(Plan) : this.plans).findOneBy({ id });
  }

  /** Remembers the provider's price made for the plan's current amount (unless the price changed meanwhile). */
  async rememberProviderPrice(plan: Plan, priceId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(Plan).update({ id: plan.id, priceMonthlyMinor: plan.priceMonthlyMinor, currency: plan.currency }, { providerPriceId: priceId });
  }
}
