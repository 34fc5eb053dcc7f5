import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from 'src/modules/users/user.fields';
import { commonPasswords } from './common-passwords';

export interface PasswordContext {
  email?: string | null;
  username?: string | null;
}

/**
 * Why a password is not acceptable (empty: it is). NIST SP 800-63B style: a minimum
 * length, no composition rules, and no password that is common or built from the
 * account's own email or username.
 */
export function passwordProblems(password: string, context: PasswordContext = {}): string[] {
  if (password.length < PASSWORD_MIN_LENGTH) return [`password must be at least ${PASSWORD_MIN_LENGTH} characters`];
  if (password.length > PASSWORD_MAX_LENGTH) return [`password must be at most ${PASSWORD_MAX_LENGTH} characters`];
  const lower = password.toLowerCase();
  const problems: string[] = [];
  if (new Set(lower).size <= 2) problems.push('password must not be one or two characters repeated');
  const email = context.email?.trim().toLowerCase();
  const personal = [email, email?.split('@')[0], context.username?.trim().toLowerCase()].filter(
    (value): value is string => typeof value === 'string' && value.length >= 3,
  );
  if (personal.some((value) => lower.includes(value))) problems.push('password must not contain your email or username');
  if (isCommon(lower)) problems.push('password is too common; choose a less predictable one (a few random words work well)');
  return problems;
}

/** In the common list as is, or once leading/trailing digits and symbols are removed ("Password2024!"). */
function isCommon(lower: string): boolean {
  const list = commonPasswords();
  if (list.has(lower)) return true;
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  return core.length >= 4 && core !== lower && list.has(core);
}
