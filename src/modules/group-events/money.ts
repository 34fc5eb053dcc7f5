export { CURRENCY_PATTERN } from 'src/common/money/money';

/** An event's price: up to 6 whole digits and 2 decimals: "0", "5", "5.5", "49.99". */
export const PRICE_PATTERN = /^\d{1,6}(\.\d{1,2})?$/;
export const DEFAULT_CURRENCY = 'USD';
