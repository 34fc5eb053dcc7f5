/** The screeners module's public vocabulary. */
export enum ScreenerInstrument {
  Phq9 = 'phq9',
  Gad7 = 'gad7',
}

export const SCREENER_INSTRUMENTS = Object.values(ScreenerInstrument);

/** Severity bands of the published scoring (GAD-7 has no "moderately severe"). */
export enum ScreenerSeverity {
  Minimal = 'minimal',
  Mild = 'mild',
  Moderate = 'moderate',
  ModeratelySevere = 'moderately_severe',
  Severe = 'severe',
}

export enum SafetySignalKind {
  /** PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered above 0. */
  Phq9Item9 = 'phq9_item9',
}

/** Every item is answered 0-3. */
export const ANSWER_MIN = 0;
export const ANSWER_MAX = 3;
