import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What other people's records (notifications, session notices) call an erased account. */
export const ERASED_NAME = 'A deleted account';

/** One feature's part of a user's archive: named collections of plain, decrypted records. */
export type ArchiveSection = Record<string, unknown>;

/**
 * What one feature holds about a user, for the two privacy rights: export (access and
 * portability) and erasure. Every table the feature owns is listed with its erasure rule in
 * words (the README's erasure table is these lines), so `test/privacy-erasure.e2e-spec.ts`
 * can prove that every table of the schema has a rule, that nothing personal is left after
 * an erasure, and `test/privacy-export.e2e-spec.ts` that an archive holds every piece.
 */
export interface PersonalDataOwner {
  /** The feature, as named in logs, the archive and the README. */
  readonly feature: string;
  /** Each table the feature owns → what erasure does to a user's rows in it. */
  readonly tables: ReadonlyMap<string, string>;
  /** The user's data in this feature for their archive, decrypted; null when it holds nothing of theirs. Read in `manager`'s snapshot. */
  exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null>;
  /**
   * Deletes or anonymises the user's data, inside the erasure's transaction. What must wait
   * for the commit (stored files, a payment provider, refunds) it returns as a step to run then.
   */
  erase(userId: string, manager: EntityManager): Promise<AfterErasure | void>;
}

/** A step that runs once the erasure committed. A failure is logged; the erasure stands. */
export type AfterErasure = () => Promise<void>;

/**
 * Where each feature registers what it holds about users, at start-up (users cannot import
 * the features above it). `UsersService.deleteMe` runs every erasure in one transaction with
 * the account's anonymisation, so an erasure is whole or not at all; the privacy module's
 * export job reads every section in one snapshot.
 */
@Injectable()
export class PersonalDataRegistry {
  private readonly owners: PersonalDataOwner[] = [];

  register(owner: PersonalDataOwner): void {
    const claimed = new Set(this.owners.flatMap((e) => [...e.tables.keys()]));
    const twice = [...owner.tables.keys()].filter((table) => claimed.has(table));
    if (twice.length > 0) throw new Error(`${owner.feature} claims tables another feature already owns: ${twice.join(', ')}`);
    this.owners.push(owner);
  }

  all(): readonly PersonalDataOwner[] {
    return this.owners;
  }

  /** Every table with its owner and erasure rule, for the erasure test and the README. */
  rules(): Array<{ table: string; feature: string; rule: string }> {
    return this.owners.flatMap((e) => [...e.tables].map(([table, rule]) => ({ table, feature: e.feature, rule })));
  }
}

/** A feature's personal-data owner, registered when its module starts: subclasses pass the registry up. */
export abstract class FeaturePersonalData implements PersonalDataOwner, OnModuleInit {
  abstract readonly feature: string;
  abstract readonly tables: ReadonlyMap<string, string>;

  protected constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  abstract exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null>;

  abstract erase(userId: string, manager: EntityManager): Promise<AfterErasure | void>;
}

/**
 * A feature's rows that name the user in any of `columns`, as stored (snake_case columns; no
 * decryption), without the `omit` columns (secrets such as token hashes). For tables with
 * nothing encrypted; the names come from the feature's code, never from a request.
 */
export async function rowsNaming(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  userId: string,
  omit: readonly string[] = [],
): Promise<Array<Record<string, unknown>>> {
  const where = columns.map((column) => `"${column}" = $1`).join(' OR ');
  const rows = await manager.query<Array<Record<string, unknown>>>(`SELECT * FROM "${table}" WHERE ${where} ORDER BY 1`, [userId]);
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !omit.includes(column))));
}

/**
 * A feature whose tables hold nothing about any one user (catalogues, counts, rows that only
 * follow another feature's): it still states a rule for each table, so the erasure walk knows.
 */
export abstract class NoPersonalData extends FeaturePersonalData {
  exportFor(): Promise<ArchiveSection | null> {
    return Promise.resolve(null);
  }

  erase(): Promise<void> {
    return Promise.resolve();
  }
}
