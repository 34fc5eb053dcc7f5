import Stripe from 'stripe';

/** Stripe's SDK for the configured key, pointed at `apiUrl` when one is set (a proxy, or the test server). */
export function createStripeClient(settings: { secretKey: string; apiUrl?: string }): Stripe {
  if (!settings.apiUrl) return new Stripe(settings.secretKey, { maxNetworkRetries: 2, timeout: 20_000 });
  const url = new URL(settings.apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(settings.secretKey, {
    host: url.hostname,
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
    maxNetworkRetries: 2,
    timeout: 20_000,
  });
}

/** The injection token of the Stripe SDK client: null when Stripe is not configured. */
export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');
