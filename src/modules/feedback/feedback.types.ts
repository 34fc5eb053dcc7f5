/**
 * What a client may tick about a session, a fixed list (HumanLink's examples first: a
 * HumanLink client sends them unchanged).
 */
export const FEEDBACK_CATEGORIES = [
  'helpful',
  'professional',
  'engaging',
  'empathetic',
  'good_listener',
  'clear_communication',
  'punctual',
  'knowledgeable',
] as const;

export type FeedbackCategory = (typeof FEEDBACK_CATEGORIES)[number];

export const RATING_MIN = 1;
export const RATING_MAX = 5;
