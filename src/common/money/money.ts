/**
 * Money, one convention for every feature: integer minor units and an ISO 4217 code in the
 * database, decimal strings in the API ("49.99"; "500" for a currency without a minor unit).
 * Each field's own pattern (how many whole digits it takes) lives with its DTO.
 */

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 code the runtime knows. */
export const isCurrency = (value: unknown): value is string => typeof value === 'string' && CURRENCY_PATTERN.test(value) && KNOWN_CURRENCIES.has(value);

/** How many minor-unit digits the currency has (2 for EUR, 0 for JPY, 3 for KWD). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "49.99" in EUR → 4999; null when the text is not a plain decimal or has more decimals than the currency. */
export function toMinorUnits(text: string, currency: string): number | null {
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  const digits = currencyDigits(currency);
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** 4999 in EUR → "49.99"; 500 in JPY → "500"; -250 in USD → "-2.50" (a refund). */
export function fromMinorUnits(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
}
