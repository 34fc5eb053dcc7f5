import { declareServerEvents } from 'src/infrastructure/realtime/server-events';
import type { MatchDto } from './matching.dto';

/** What changed about a match. */
export type MatchChange = 'scored' | 'rescored' | 'accepted' | 'declined' | 'removed';

/** The matching module's server events. */
export interface MatchingServerEvents {
  /** To a match's client and provider: its score was computed or recomputed, the client answered, or staff removed it. */
  match_updated: { change: MatchChange; match: MatchDto };
}

declareServerEvents<MatchingServerEvents>({ match_updated: true });

declare module 'src/infrastructure/realtime/server-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventMap extends MatchingServerEvents {}
}
