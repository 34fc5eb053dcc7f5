import './payments.errors';
import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { AppConfig } from 'src/config/app-config';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { UsersModule } from 'src/modules/users/users.module';
import { AdminBillingController, AdminPlansController } from './admin-payments.controller';
import { EntitlementsService } from './entitlements.service';
import { Payment } from './entities/payment.entity';
import { Plan } from './entities/plan.entity';
import { Subscription } from './entities/subscription.entity';
import { PaymentWebhookEvent } from './entities/webhook-event.entity';
import { PaymentsController, STRIPE_WEBHOOK_ROUTE } from './payments.controller';
import { PaymentsService } from './payments.service';
import { PlansService } from './plans.service';
import { PaymentProvider } from './providers/payment-provider';
import { SandboxPaymentProvider } from './providers/sandbox-payment.provider';
import { createStripeClient, STRIPE_CLIENT } from './providers/stripe-client';
import { StripePaymentProvider } from './providers/stripe-payment.provider';
import { StripeWebhooksService } from './stripe-webhooks.service';
import { SubscriptionsService } from './subscriptions.service';
import { keepRawBody } from './raw-body';
import { PaymentsPersonalData } from './payments-personal-data';

/**
 * Plans, subscriptions and payments behind a payment-provider port: the built-in sandbox by
 * default, Stripe when STRIPE_SECRET_KEY is set (with its signed webhooks). Exports
 * PaymentsService (charge/refund for other features) and EntitlementsService (what a
 * user's plan unlocks).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Plan, Subscription, Payment, PaymentWebhookEvent]), UsersModule, NotificationsModule],
  controllers: [PaymentsController, AdminPlansController, AdminBillingController],
  providers: [PaymentsPersonalData, 
    {
      provide: STRIPE_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Stripe | null => (config.payments.stripe ? createStripeClient(config.payments.stripe) : null),
    },
    {
      provide: PaymentProvider,
      inject: [STRIPE_CLIENT],
      useFactory: (stripe: Stripe | null): PaymentProvider => (stripe ? new StripePaymentProvider(stripe) : new SandboxPaymentProvider()),
    },
    PlansService,
    PaymentsService,
    EntitlementsService,
    SubscriptionsService,
    StripeWebhooksService,
  ],
  exports: [PaymentsService, EntitlementsService],
})
export class PaymentsModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  /** The webhook's signature is over the exact body: keep its bytes (a worker process has no HTTP server). */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (!adapter) return;
    keepRawBody(adapter.getInstance<FastifyInstance>(), [STRIPE_WEBHOOK_ROUTE], this.config.http.bodyLimitBytes);
  }
}
