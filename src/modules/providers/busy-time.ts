import { Injectable } from '@nestjs/common';
import { BusyTimeSource, TimeRange } from './providers.types';

/**
 * Where free-slot searches learn which time is already booked. The sessions module owns
 * sessions and registers its source here at start-up, so this module never imports it.
 */
@Injectable()
export class BusyTime {
  private source: BusyTimeSource | null = null;

  provide(source: BusyTimeSource): void {
    this.source = source;
  }

  /** Per provider: the booked ranges (each session extended by its buffer) overlapping [from, to), sorted by start. */
  ranges(providerIds: string[], from: Date, to: Date): Promise<Map<string, TimeRange[]>> {
    if (!this.source || providerIds.length === 0) return Promise.resolve(new Map<string, TimeRange[]>());
    return this.source(providerIds, from, to);
  }
}
