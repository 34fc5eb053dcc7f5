/** The providers module's public vocabulary, used by sessions (and later features). */

/** How a session is held. */
export enum SessionType {
  Text = 'text',
  Voice = 'voice',
  Video = 'video',
}

export const SESSION_TYPES: readonly SessionType[] = [SessionType.Text, SessionType.Voice, SessionType.Video];

/** A dated exception to the weekly rules. */
export enum AvailabilityExceptionKind {
  /** The provider is away: no slots inside it, whatever the weekly rules say. */
  TimeOff = 'time_off',
  /** Hours added to the weekly rules. */
  Extra = 'extra',
}

/** A half-open time range [start, end) in epoch milliseconds. */
export interface TimeRange {
  start: number;
  end: number;
}

/** What booking needs to know about a provider: who they are, what they offer at which price, how they keep time. */
export interface BookableProvider {
  userId: string;
  firstName: string;
  lastName: string;
  role: string;
  timeZone: string;
  acceptingNewClients: boolean;
  bufferMinutes: number;
  currency: string;
  /** Price in minor units per offered type (a type missing here is not offered). */
  prices: Map<SessionType, number>;
}

/**
 * The time a provider is already holding (booked sessions, each extended by its buffer),
 * per provider, overlapping a window. The sessions module provides it (see BusyTime), so
 * providers does not depend on sessions.
 */
export type BusyTimeSource = (providerIds: string[], from: Date, to: Date) => Promise<Map<string, TimeRange[]>>;
