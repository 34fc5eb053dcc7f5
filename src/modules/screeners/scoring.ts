import { INSTRUMENTS, PHQ9_SELF_HARM_ITEM_INDEX } from './instruments';
import { ANSWER_MAX, ANSWER_MIN, ScreenerInstrument, ScreenerSeverity } from './screeners.types';

export interface ScreenerScore {
  totalScore: number;
  maxScore: number;
  severity: ScreenerSeverity;
  /** PHQ-9 item 9 answered above 0. */
  safetySignal: boolean;
}

/**
 * The published scoring: the sum of the item answers (each 0-3) and its severity band.
 * Throws on answers of the wrong count or range: callers validate first, this guards the rule.
 */
export function scoreScreener(instrument: ScreenerInstrument, answers: readonly number[]): ScreenerScore {
  const definition = INSTRUMENTS.get(instrument);
  if (!definition) throw new Error(`unknown instrument ${String(instrument)}`);
  if (answers.length !== definition.items.length) throw new Error(`${definition.name} takes ${definition.items.length} answers, got ${answers.length}`);
  if (answers.some((a) => !Number.isInteger(a) || a < ANSWER_MIN || a > ANSWER_MAX)) throw new Error('answers must be integers 0-3');
  const totalScore = answers.reduce((sum, a) => sum + a, 0);
  const band = definition.bands.find((b) => totalScore >= b.min && totalScore <= b.max);
  if (!band) throw new Error(`no band for ${totalScore}`);
  return {
    totalScore,
    maxScore: definition.items.length * ANSWER_MAX,
    severity: band.severity,
    safetySignal: instrument === ScreenerInstrument.Phq9 && answers[PHQ9_SELF_HARM_ITEM_INDEX] > 0,
  };
}
