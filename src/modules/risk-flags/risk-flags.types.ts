import type { CrisisAssessment, CrisisCategory, CrisisResources } from 'src/modules/safety/safety.types';
import type { SafetyPlanView } from 'src/modules/safety-plans/safety-plans.types';

/** Where a user wrote the text a flag points at (the flag keeps a reference, never the text). */
export const RISK_SOURCES = ['chat_message', 'companion_message', 'mood_entry', 'goal_progress', 'screener_response', 'support_ticket'] as const;
export type RiskSource = (typeof RISK_SOURCES)[number];

export const RISK_FLAG_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type RiskFlagStatus = (typeof RISK_FLAG_STATUSES)[number];

/** How urgently a flag needs a human, from its categories: the triage queue sorts by it. */
export const RISK_SEVERITIES = ['moderate', 'high', 'critical'] as const;
export type RiskSeverity = (typeof RISK_SEVERITIES)[number];

/** How staff closed a flag. */
export const RISK_OUTCOMES = ['contacted_safe', 'emergency_services', 'care_team_follow_up', 'false_positive', 'other'] as const;
export type RiskOutcome = (typeof RISK_OUTCOMES)[number];

/** A text a user just wrote, to be scanned after it was stored. */
export interface WrittenText {
  userId: string;
  source: RiskSource;
  /** The stored row the text lives in (message, entry, progress). */
  referenceId: string;
  /** The conversation it was written in (chat or companion), so repeated detections there join one flag. */
  conversationId?: string | null;
  text: string;
}

/** What the writer is shown at once when their words point to a crisis. */
export interface CrisisSupport {
  resources: CrisisResources;
  /** Their current safety plan, when they have one. */
  safety_plan: SafetyPlanView | null;
  /** Whether a one-tap alarm would reach someone (contacts with email or a therapist set up). */
  alarm_available: boolean;
}

/** The outcome of scanning a text: the detector's verdict and, for a crisis, the flag it raised or joined and the support to show. */
export interface TextScan {
  assessment: CrisisAssessment;
  flagId: string | null;
  support: CrisisSupport | null;
}

export type { CrisisCategory };

/** The unresolved risk flags an operator watches (the operations dashboard); counts only. */
export interface OpenRiskFlagStats {
  /** Raised, nobody acknowledged yet. */
  open: number;
  /** Acknowledged by staff, not resolved yet. */
  acknowledged: number;
  /** Unresolved flags (open + acknowledged) by severity. */
  bySeverity: Map<RiskSeverity, number>;
  /** Unresolved flags by how long ago they were first detected: under 1 hour, 1–24 hours, 1–7 days, over 7 days. */
  byAge: { underOneHour: number; oneToTwentyFourHours: number; oneToSevenDays: number; overSevenDays: number };
  /** When the oldest unresolved flag was first detected; null when none is unresolved. */
  oldestFirstDetectedAt: Date | null;
}
