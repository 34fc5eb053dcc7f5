import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What other people's records (notifications, session notices) call an erased account. */
export const ERASED_NAME = 'A deleted account';

/**
 * What one feature does with a user's data when the account is erased. Every table the
 * feature owns is listed with its rule in words (the README's erasure table is these
 * lines), so `test/privacy-erasure.e2e-spec.ts` can prove that every table of the schema
 * has a rule and that nothing personal is left after an erasure.
 */
export interface PersonalDataEraser {
  /** The feature, as named in logs and the README. */
  readonly feature: string;
  /** Each table the feature owns → what erasure does to a user's rows in it. */
  readonly tables: ReadonlyMap<string, string>;
  /** Deletes or anonymises the user's data, inside the erasure's transaction. */
  erase(userId: string, manager: EntityManager): Promise<void>;
  /** After the erasure committed: stored files, queued jobs, caches. Failures are logged, the erasure stands. */
  afterCommit?(userId: string): Promise<void>;
}

/**
 * Where each feature registers its eraser at start-up (users cannot import the features
 * above it). `UsersService.deleteMe` runs them all in one transaction with the account's
 * anonymisation, so an erasure is whole or not at all.
 */
@Injectable()
export class PersonalDataRegistry {
  private readonly erasers: PersonalDataEraser[] = [];

  register(eraser: PersonalDataEraser): void {
    const claimed = new Set(this.erasers.flatMap((e) => [...e.tables.keys()]));
    const twice = [...eraser.tables.keys()].filter((table) => claimed.has(table));
    if (twice.length > 0) throw new Error(`${eraser.feature} claims tables another feature's eraser already owns: ${twice.join(', ')}`);
    this.erasers.push(eraser);
  }

  all(): readonly PersonalDataEraser[] {
    return this.erasers;
  }

  /** Every table with its owner and rule, for the erasure test and the README. */
  rules(): Array<{ table: string; feature: string; rule: string }> {
    return this.erasers.flatMap((e) => [...e.tables].map(([table, rule]) => ({ table, feature: e.feature, rule })));
  }
}

/** A feature's eraser, registered when its module starts: subclasses pass the registry up. */
export abstract class FeatureErasure implements PersonalDataEraser, OnModuleInit {
  abstract readonly feature: string;
  abstract readonly tables: ReadonlyMap<string, string>;

  protected constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  abstract erase(userId: string, manager: EntityManager): Promise<void>;
}
