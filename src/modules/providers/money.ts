/** The price field of a provider profile: up to 7 whole digits and the currency's decimals (at most 3). */
export const MONEY_PATTERN = /^\d{1,7}(\.\d{1,3})?$/;
