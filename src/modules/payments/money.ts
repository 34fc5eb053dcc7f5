export { CURRENCY_PATTERN } from 'src/common/money/money';

/** A decimal amount as the payments API takes it: up to 7 whole digits and 2 decimals ("49.99", "5"). */
export const DECIMAL_AMOUNT_PATTERN = /^\d{1,7}(\.\d{1,2})?$/;
