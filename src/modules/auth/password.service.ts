import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { AppException } from 'src/common/errors/app.exception';
import { PasswordContext, passwordProblems } from './password-policy';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Password hashing (argon2id) and the password policy. */
@Injectable()
export class PasswordService implements OnModuleInit {
  // Verified against when the account does not exist, so that "no such user" and
  // "wrong password" take the same time. Computed at start, so even the first such
  // request costs exactly one verification.
  private dummyHash: Promise<string> | null = null;

  onModuleInit(): void {
    void this.dummy().catch(() => undefined);
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    if (!hash) {
      await this.burn(password);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the time of one verification, for callers that know the answer is no. */
  async burn(password: string): Promise<void> {
    await argon2.verify(await this.dummy(), password).catch(() => false);
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= argon2.hash(randomBytes(32).toString('hex'), ARGON2_OPTIONS);
    return this.dummyHash;
  }

  /** Throws a 400 naming `field` when the password breaks the policy. */
  /** 400 AUTH.WRONG_PASSWORD on `field` unless `password` matches the stored hash (re-authentication before a sensitive change). */
  async assertCorrect(hash: string | null, password: string, field: string): Promise<void> {
    if (!(await this.verify(hash, password))) {
      throw new AppException('AUTH.WRONG_PASSWORD', 'The password is wrong.', { [field]: ['The password is wrong.'] });
    }
  }

  assertAcceptable(password: string, context: PasswordContext, field = 'password'): void {
    const problems = passwordProblems(password, context);
    if (problems.length > 0) {
      throw new AppException('AUTH.WEAK_PASSWORD', problems[0].replace(/^password/, 'The password'), { [field]: problems });
    }
  }
}
