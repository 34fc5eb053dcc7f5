import { declareServerEvents } from 'src/infrastructure/realtime/server-events';
import type { RiskFlagDto } from './risk-flags.dto';
import type { CrisisSupport, RiskSource } from './risk-flags.types';

/** The risk-flags module's server events. */
export interface RiskFlagsServerEvents {
  /** To the writer, at once: what they wrote may mean they are in crisis; here is help (never their text). */
  crisis_support: { flag_id: string; source: RiskSource; reference_id: string; support: CrisisSupport };
  /** To the care team and staff: a new flag (who and where, never the text). */
  risk_flag_raised: { flag: RiskFlagDto };
  /** To all staff: a flag nobody acknowledged in time, paged again. */
  risk_flag_escalated: { flag: RiskFlagDto };
  /** To staff: a flag was acknowledged, noted or resolved, so other pagers can stand down. */
  risk_flag_updated: { flag: RiskFlagDto };
}

declareServerEvents<RiskFlagsServerEvents>({ crisis_support: true, risk_flag_raised: true, risk_flag_escalated: true, risk_flag_updated: true });

declare module 'src/infrastructure/realtime/server-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventMap extends RiskFlagsServerEvents {}
}
