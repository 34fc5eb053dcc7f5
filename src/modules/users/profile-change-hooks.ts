import { Injectable, Logger } from '@nestjs/common';

/** Told after a user's matching data (personality data, or a provider's profile) changed and committed. */
export type ProfileChangeListener = (userId: string) => Promise<void>;

/**
 * Where features that derive something from a user's profile (matching scores) hear that
 * it changed, without users or providers importing them. Listeners register at start-up; they run
 * after the change committed, and one that fails is logged, never the user's error.
 */
@Injectable()
export class ProfileChangeHooks {
  private readonly logger = new Logger('ProfileChangeHooks');
  private readonly listeners: ProfileChangeListener[] = [];

  register(listener: ProfileChangeListener): void {
    this.listeners.push(listener);
  }

  async changed(userId: string): Promise<void> {
    for (const listener of this.listeners) {
      await listener(userId).catch((error: unknown) => this.logger.warn(`a profile change listener failed: ${(error as Error).message}`));
    }
  }
}
