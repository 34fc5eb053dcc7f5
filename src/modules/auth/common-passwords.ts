import { dictionary } from '@zxcvbn-ts/language-common';

let common: ReadonlySet<string> | null = null;

/**
 * The ~49,000 most common passwords from breach corpora (the list zxcvbn ships, via
 * @zxcvbn-ts/language-common), lowercased. Loaded on first use.
 */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}
