import { Injectable, Logger } from '@nestjs/common';
import { AfterErasure, ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { PaymentProvider } from './providers/payment-provider';

/**
 * Payments are kept as the law asks of accounting records (amount, currency, status, what it
 * was for, the provider's reference), linked to the anonymous account; what else a row held
 * goes. A running subscription ends now, here and at the payment provider.
 */
@Injectable()
export class PaymentsPersonalData extends FeaturePersonalData {
  readonly feature = 'payments';
  readonly tables = new Map([
    ['payments', 'kept as an accounting record (amount, currency, status, purpose, provider reference), linked to the anonymous account; payment method, client secret and failure message removed'],
    ['subscriptions', 'kept as an accounting record; a running one is cancelled at once, here and at the payment provider'],
    ['plans', 'no personal data: the catalogue'],
    ['payment_webhook_events', 'no personal data (event ids and types)'],
  ]);
  private readonly logger = new Logger('PaymentsPersonalData');

  constructor(
    registry: PersonalDataRegistry,
    private readonly provider: PaymentProvider,
  ) {
    super(registry);
  }

  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const payments = await rowsNaming(manager, 'payments', ['user_id'], userId, ['client_secret']);
    const subscriptions = await rowsNaming(manager, 'subscriptions', ['user_id'], userId);
    return payments.length || subscriptions.length ? { payments, subscriptions } : null;
  }

  async erase(userId: string, manager: EntityManager): Promise<AfterErasure> {
    await manager.query('UPDATE payments SET payment_method_id = NULL, client_secret = NULL, failure_message = NULL WHERE user_id = $1', [userId]);
    const ended = (await manager.query<[Array<{ provider_subscription_id: string }>, number]>(
      "UPDATE subscriptions SET status = 'cancelled', cancelled_at = now(), cancel_at_period_end = false WHERE user_id = $1 AND status <> 'cancelled' RETURNING provider_subscription_id",
      [userId],
    ));
    const subscriptions = ended[0].map((row) => row.provider_subscription_id);
    return () => this.cancelAtProvider(subscriptions);
  }

  private async cancelAtProvider(subscriptions: string[]): Promise<void> {
    for (const id of subscriptions) {
      // The local row is already cancelled; a provider error is logged for staff to finish by hand.
      await this.provider.cancelSubscription(id, false).catch((error: unknown) => this.logger.error(`could not cancel subscription ${id} at the provider: ${(error as Error).message}`));
    }
  }
}
