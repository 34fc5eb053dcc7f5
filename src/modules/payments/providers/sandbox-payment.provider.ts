import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { SANDBOX_PAYMENT_METHODS } from '../payments.types';
import { ChargeInput, PaymentProvider, ProviderCharge, StartedSubscription, StartSubscriptionInput } from './payment-provider';

const DECLINE_MESSAGE = 'Your card was declined.';
const SUBSCRIPTION_PERIOD_DAYS = 30;

/**
 * The built-in provider: no account anywhere, outcomes chosen by the payment method id,
 * as Stripe's test ids do. `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined,
 * `pm_card_authenticationRequired` needs the customer's action: the answer carries a
 * client_secret that POST /payments/sandbox/confirm completes. Stateless: the payments
 * table is the record.
 */
@Injectable()
export class SandboxPaymentProvider extends PaymentProvider {
  readonly name = 'sandbox' as const;

  async startSubscription(input: StartSubscriptionInput): Promise<StartedSubscription> {
    const payment = this.attempt(input.paymentMethodId);
    return {
      customerId: null,
      subscriptionId: `sub_sandbox_${input.subscriptionId.replace(/-/g, '')}`,
      createdPriceId: null,
      payment,
      currentPeriodEnd: new Date(Date.now() + SUBSCRIPTION_PERIOD_DAYS * 86_400_000),
    };
  }

  async cancelSubscription(): Promise<void> {
    // Nothing to tell anyone: the subscriptions table is the sandbox's record.
  }

  async charge(input: ChargeInput): Promise<ProviderCharge> {
    return this.attempt(input.paymentMethodId);
  }

  async refund(): Promise<string> {
    return `re_sandbox_${randomUUID().replace(/-/g, '')}`;
  }

  private attempt(paymentMethodId: string): ProviderCharge {
    const providerPaymentId = `pi_sandbox_${randomUUID().replace(/-/g, '')}`;
    switch (paymentMethodId) {
      case SANDBOX_PAYMENT_METHODS.succeeds:
        return { providerPaymentId, status: 'succeeded', clientSecret: null, failureMessage: null };
      case SANDBOX_PAYMENT_METHODS.declined:
        return { providerPaymentId, status: 'declined', clientSecret: null, failureMessage: DECLINE_MESSAGE };
      case SANDBOX_PAYMENT_METHODS.requiresAction:
        return {
          providerPaymentId,
          status: 'requires_action',
          clientSecret: `${providerPaymentId}_secret_${randomBytes(16).toString('hex')}`,
          failureMessage: null,
        };
      default:
        throw new AppException('PAYMENTS.UNKNOWN_PAYMENT_METHOD', 'Unknown payment method.', {
          payment_method_id: [`In sandbox mode use one of: ${Object.values(SANDBOX_PAYMENT_METHODS).join(', ')}`],
        });
    }
  }
}
