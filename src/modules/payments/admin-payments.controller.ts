import { Body, Controller, Delete, Get, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import {
  AdminPaymentListQueryDto,
  AdminPlanListQueryDto,
  AdminSubscriptionDto,
  AdminSubscriptionListQueryDto,
  CreatePlanDto,
  PaymentDto,
  PlanDto,
  UpdatePlanDto,
} from './payments.dto';
import { PAYMENTS_ORDERING, PaymentsService } from './payments.service';
import { PLANS_ORDERING, PlansService } from './plans.service';
import { SUBSCRIPTIONS_ORDERING, SubscriptionsService } from './subscriptions.service';

/** Staff manage plans. */
@ApiTags('payments')
@Controller('admin/plans')
export class AdminPlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @Authenticated(Permission.PlansManage)
  @ApiOperation({ summary: 'Every plan, active or not.' })
  @ApiOrdering(PLANS_ORDERING)
  @ApiEnvelope(PlanDto, { paginated: true })
  list(@Query() query: AdminPlanListQueryDto): Promise<Paginated<PlanDto>> {
    return this.plans.list(query);
  }

  @Post()
  @Authenticated(Permission.PlansManage)
  @ApiOperation({ summary: 'Create a plan.' })
  @ApiEnvelope(PlanDto, { status: HttpStatus.CREATED })
  @ApiError('PAYMENTS.PLAN_NAME_TAKEN')
  create(@Body() dto: CreatePlanDto): Promise<PlanDto> {
    return this.plans.create(dto);
  }

  @Patch(':id')
  @Authenticated(Permission.PlansManage)
  @ApiOperation({ summary: 'Change a plan; a new price applies to new subscriptions.' })
  @ApiEnvelope(PlanDto)
  @ApiError('PAYMENTS.PLAN_NOT_FOUND')
  update(@UuidParam('id') id: string, @Body() dto: UpdatePlanDto): Promise<PlanDto> {
    return this.plans.update(id, dto);
  }

  @Delete(':id')
  @Authenticated(Permission.PlansManage)
  @ApiOperation({ summary: 'Deactivate a plan: hidden from new subscribers, current subscriptions keep it (PATCH active=true restores it).' })
  @ApiEnvelope(PlanDto)
  @ApiError('PAYMENTS.PLAN_NOT_FOUND')
  deactivate(@UuidParam('id') id: string): Promise<PlanDto> {
    return this.plans.deactivate(id);
  }
}

/** Staff see every subscription and payment. */
@ApiTags('payments')
@Controller('admin')
export class AdminBillingController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly payments: PaymentsService,
  ) {}

  @Get('subscriptions')
  @Authenticated(Permission.PlansManage)
  @ApiOperation({ summary: 'Every subscription, with filters (status, plan name, user).' })
  @ApiOrdering(SUBSCRIPTIONS_ORDERING)
  @ApiEnvelope(AdminSubscriptionDto, { paginated: true })
  subscriptionsList(@Query() query: AdminSubscriptionListQueryDto): Promise<Paginated<AdminSubscriptionDto>> {
    return this.subscriptions.list(query);
  }

  @Get('payments')
  @Authenticated(Permission.PlansManage)
  @ApiOperation({ summary: 'Every payment, with filters (status, purpose, provider, user).' })
  @ApiOrdering(PAYMENTS_ORDERING)
  @ApiEnvelope(PaymentDto, { paginated: true })
  paymentsList(@Query() query: AdminPaymentListQueryDto): Promise<Paginated<PaymentDto>> {
    return this.payments.list(query);
  }
}
