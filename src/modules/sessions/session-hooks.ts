import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SessionChangeKind, SessionSnapshot } from './sessions.types';

/** A change to a session, as its listeners see it. */
export interface SessionChange {
  kind: SessionChangeKind;
  session: SessionSnapshot;
  /** The start before a reschedule. */
  previousStartsAt?: Date;
}

/** Runs inside the transaction that changes the session: what it writes commits (or rolls back) with it. */
export type SessionChangeListener = (change: SessionChange, manager: EntityManager) => Promise<void>;

/**
 * The one place booking, rescheduling, cancelling and closing a session announce it to
 * other features (reminders schedule, move and remove their jobs here). A listener
 * registers once at start-up (`onModuleInit`); SessionsService calls every listener in
 * its transaction, after the session row is written.
 */
@Injectable()
export class SessionHooks {
  private readonly listeners: SessionChangeListener[] = [];

  register(listener: SessionChangeListener): void {
    this.listeners.push(listener);
  }

  async run(change: SessionChange, manager: EntityManager): Promise<void> {
    for (const listener of this.listeners) await listener(change, manager);
  }
}
