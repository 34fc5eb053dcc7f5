import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The payments module's error codes: plans, subscriptions, payments and the provider's webhooks. */
export const PAYMENTS_ERRORS = defineErrorCodes({
  'PAYMENTS.PLAN_NOT_FOUND': HttpStatus.NOT_FOUND,
  'PAYMENTS.PLAN_NAME_TAKEN': HttpStatus.CONFLICT,
  'PAYMENTS.PLAN_NOT_PURCHASABLE': HttpStatus.CONFLICT,
  'PAYMENTS.ALREADY_SUBSCRIBED': HttpStatus.CONFLICT,
  'PAYMENTS.NO_SUBSCRIPTION': HttpStatus.CONFLICT,
  'PAYMENTS.PAYMENT_NOT_FOUND': HttpStatus.NOT_FOUND,
  'PAYMENTS.UNKNOWN_PAYMENT_METHOD': HttpStatus.BAD_REQUEST,
  'PAYMENTS.CARD_DECLINED': HttpStatus.PAYMENT_REQUIRED,
  'PAYMENTS.BAD_SIGNATURE': HttpStatus.BAD_REQUEST,
  /** The route belongs to the other payment provider than the one configured (sandbox confirm with Stripe, Stripe webhooks without it). */
  'PAYMENTS.PROVIDER_NOT_CONFIGURED': HttpStatus.NOT_FOUND,
  'PAYMENTS.PROVIDER_UNAVAILABLE': HttpStatus.BAD_GATEWAY,
});

type PaymentsErrorCodes = typeof PAYMENTS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends PaymentsErrorCodes {}
}
