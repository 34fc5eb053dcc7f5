import { Body, Controller, Get, Headers, HttpStatus, Post, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated, CurrentUser, Public } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import {
  PaymentDto,
  PlanDto,
  PlanListQueryDto,
  SandboxConfirmDto,
  SandboxConfirmResultDto,
  SubscribeDto,
  SubscribeResultDto,
  SubscriptionDto,
  SubscriptionStatusDto,
} from './payments.dto';
import { PAYMENTS_ORDERING, PaymentsService } from './payments.service';
import { PLANS_ORDERING, PlansService } from './plans.service';
import { rawBodyOf } from './raw-body';
import { StripeWebhooksService, WebhookOutcome } from './stripe-webhooks.service';
import { SubscriptionsService } from './subscriptions.service';

export class WebhookOutcomeDto implements WebhookOutcome {
  @ApiProperty({ maxLength: 255 })
  event_id!: string;

  @ApiProperty({ maxLength: 100 })
  type!: string;

  @ApiProperty({ description: 'false when this event had been handled already (a redelivery).' })
  processed!: boolean;
}

/** The route whose raw body is kept for the signature check (with the global prefix). */
export const STRIPE_WEBHOOK_ROUTE = '/api/v1/payments/webhooks/stripe';

/** Plans, the caller's subscription and payments (HumanLink §Payments, SafeTalk §Subscription Management). */
@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly plans: PlansService,
    private readonly subscriptions: SubscriptionsService,
    private readonly payments: PaymentsService,
    private readonly webhooks: StripeWebhooksService,
  ) {}

  @Get('plans')
  @Public()
  @ApiOperation({ summary: 'The plans one can subscribe to (and the free plan), cheapest first.' })
  @ApiOrdering(PLANS_ORDERING)
  @ApiEnvelope(PlanDto, { paginated: true })
  listPlans(@Query() query: PlanListQueryDto): Promise<Paginated<PlanDto>> {
    return this.plans.listActive(query);
  }

  @Post('subscribe')
  @Authenticated()
  @ApiOperation({
    summary: 'Subscribe to a plan (by plan_id, or by name as plan or plan_name) with a payment method.',
    description:
      'Paid at once: status `active`. Needs the customer’s action: status `incomplete` and a `client_secret` (sandbox: POST /payments/sandbox/confirm). ' +
      'Declined: 402 PAYMENTS.CARD_DECLINED (the attempt stays `incomplete`; subscribing again replaces it).',
  })
  @ApiEnvelope(SubscribeResultDto, { status: HttpStatus.CREATED })
  @ApiError(
    'PAYMENTS.PLAN_NOT_FOUND',
    'PAYMENTS.PLAN_NOT_PURCHASABLE',
    'PAYMENTS.ALREADY_SUBSCRIBED',
    'PAYMENTS.UNKNOWN_PAYMENT_METHOD',
    'PAYMENTS.CARD_DECLINED',
    'PAYMENTS.PROVIDER_UNAVAILABLE',
  )
  subscribe(@CurrentUser() user: Principal, @Body() dto: SubscribeDto): Promise<SubscribeResultDto> {
    return this.subscriptions.subscribe(user, dto);
  }

  @Get('status')
  @Authenticated()
  @ApiOperation({ summary: 'Your subscription (`none` without one) and the plan and entitlements that apply now.' })
  @ApiEnvelope(SubscriptionStatusDto)
  @ApiError('PAYMENTS.PLAN_NOT_FOUND')
  status(@CurrentUser() user: Principal): Promise<SubscriptionStatusDto> {
    return this.subscriptions.status(user);
  }

  @Post('cancel')
  @Authenticated()
  @ApiOperation({ summary: 'Cancel your subscription at the end of the paid period (an unpaid, incomplete one ends at once).' })
  @ApiEnvelope(SubscriptionDto)
  @ApiError('PAYMENTS.NO_SUBSCRIPTION', 'PAYMENTS.PROVIDER_UNAVAILABLE')
  cancel(@CurrentUser() user: Principal): Promise<SubscriptionDto> {
    return this.subscriptions.cancel(user);
  }

  @Get('history')
  @Authenticated()
  @ApiOperation({ summary: 'Your payments, newest first.' })
  @ApiOrdering(PAYMENTS_ORDERING)
  @ApiEnvelope(PaymentDto, { paginated: true })
  history(@CurrentUser() user: Principal, @Query() query: PaginationQueryDto): Promise<Paginated<PaymentDto>> {
    return this.payments.history(user, query);
  }

  @Post('sandbox/confirm')
  @Authenticated()
  @ApiOperation({ summary: 'Sandbox only: complete the action a payment needed (what 3-D Secure in the app does with Stripe).' })
  @ApiEnvelope(SandboxConfirmResultDto)
  @ApiError('PAYMENTS.PAYMENT_NOT_FOUND', 'PAYMENTS.PROVIDER_NOT_CONFIGURED')
  confirm(@CurrentUser() user: Principal, @Body() dto: SandboxConfirmDto): Promise<SandboxConfirmResultDto> {
    return this.subscriptions.confirmSandboxPayment(user, dto.client_secret);
  }

  @Post('webhooks/stripe')
  @Public()
  @ApiOperation({ summary: 'Stripe’s webhook: signed events, each handled once.' })
  @ApiHeader({ name: 'stripe-signature', required: true, schema: { type: 'string', maxLength: 2048 } })
  @ApiEnvelope(WebhookOutcomeDto)
  @ApiError('PAYMENTS.BAD_SIGNATURE', 'PAYMENTS.PROVIDER_NOT_CONFIGURED')
  stripeWebhook(@Req() request: FastifyRequest, @Headers('stripe-signature') signature: string | undefined): Promise<WebhookOutcome> {
    return this.webhooks.receive(rawBodyOf(request), signature);
  }
}
