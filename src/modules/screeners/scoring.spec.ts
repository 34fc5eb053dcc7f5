import { INSTRUMENTS } from './instruments';
import { scoreScreener } from './scoring';
import { ScreenerInstrument, ScreenerSeverity } from './screeners.types';

const { Phq9, Gad7 } = ScreenerInstrument;

describe('screener scoring', () => {
  it('has the published item counts', () => {
    expect(INSTRUMENTS.get(Phq9)?.items).toHaveLength(9);
    expect(INSTRUMENTS.get(Gad7)?.items).toHaveLength(7);
  });

  it.each([
    [[0, 0, 0, 0, 0, 0, 0, 0, 0], 0, ScreenerSeverity.Minimal],
    [[1, 1, 1, 1, 0, 0, 0, 0, 0], 4, ScreenerSeverity.Minimal],
    [[1, 1, 1, 1, 1, 0, 0, 0, 0], 5, ScreenerSeverity.Mild],
    [[3, 3, 3, 0, 0, 0, 0, 0, 0], 9, ScreenerSeverity.Mild],
    [[2, 2, 2, 2, 2, 0, 0, 0, 0], 10, ScreenerSeverity.Moderate],
    [[2, 2, 2, 2, 2, 2, 2, 0, 0], 14, ScreenerSeverity.Moderate],
    [[3, 3, 3, 3, 3, 0, 0, 0, 0], 15, ScreenerSeverity.ModeratelySevere],
    [[3, 3, 3, 3, 3, 2, 2, 0, 0], 19, ScreenerSeverity.ModeratelySevere],
    [[3, 3, 3, 3, 2, 2, 2, 2, 0], 20, ScreenerSeverity.Severe],
    [[3, 3, 3, 3, 3, 3, 3, 3, 3], 27, ScreenerSeverity.Severe],
  ])('PHQ-9 %j scores %i (%s)', (answers, total, severity) => {
    expect(scoreScreener(Phq9, answers)).toEqual({ totalScore: total, maxScore: 27, severity, safetySignal: answers[8] > 0 });
  });

  it.each([
    [[0, 0, 0, 0, 0, 0, 0], 0, ScreenerSeverity.Minimal],
    [[1, 1, 1, 1, 0, 0, 0], 4, ScreenerSeverity.Minimal],
    [[1, 1, 1, 1, 1, 0, 0], 5, ScreenerSeverity.Mild],
    [[3, 3, 3, 0, 0, 0, 0], 9, ScreenerSeverity.Mild],
    [[2, 2, 2, 2, 2, 0, 0], 10, ScreenerSeverity.Moderate],
    [[2, 2, 2, 2, 2, 2, 2], 14, ScreenerSeverity.Moderate],
    [[3, 3, 3, 3, 3, 0, 0], 15, ScreenerSeverity.Severe],
    [[3, 3, 3, 3, 3, 3, 3], 21, ScreenerSeverity.Severe],
  ])('GAD-7 %j scores %i (%s)', (answers, total, severity) => {
    expect(scoreScreener(Gad7, answers)).toEqual({ totalScore: total, maxScore: 21, severity, safetySignal: false });
  });

  it('raises a safety signal for PHQ-9 item 9 above 0, whatever the total', () => {
    expect(scoreScreener(Phq9, [0, 0, 0, 0, 0, 0, 0, 0, 1])).toEqual({ totalScore: 1, maxScore: 27, severity: ScreenerSeverity.Minimal, safetySignal: true });
    expect(scoreScreener(Phq9, [3, 3, 3, 3, 3, 3, 3, 3, 3]).safetySignal).toBe(true);
    expect(scoreScreener(Phq9, [3, 3, 3, 3, 3, 3, 3, 3, 0]).safetySignal).toBe(false);
    // GAD-7 has no such item: its last answer is about fear, not self-harm.
    expect(scoreScreener(Gad7, [0, 0, 0, 0, 0, 0, 3]).safetySignal).toBe(false);
  });

  it('refuses answers of the wrong count or range', () => {
    expect(() => scoreScreener(Phq9, [0, 0, 0, 0, 0, 0, 0])).toThrow('9 answers');
    expect(() => scoreScreener(Gad7, [0, 0, 0, 0, 0, 0, 0, 0, 0])).toThrow('7 answers');
    expect(() => scoreScreener(Gad7, [0, 0, 0, 0, 0, 0, 4])).toThrow('0-3');
    expect(() => scoreScreener(Gad7, [0, 0, 0, 0, 0, 0, -1])).toThrow('0-3');
    expect(() => scoreScreener(Gad7, [0, 0, 0, 0, 0, 0, 1.5])).toThrow('0-3');
    expect(() => scoreScreener('bdi' as ScreenerInstrument, [])).toThrow('unknown instrument');
  });
});
