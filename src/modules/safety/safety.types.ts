/** What the crisis detector can recognise: the public vocabulary other features use. */
export const CRISIS_CATEGORIES = ['suicidal_ideation', 'self_harm', 'harm_to_others', 'immediate_danger', 'overdose'] as const;
export type CrisisCategory = (typeof CRISIS_CATEGORIES)[number];

export type AssessedLanguage = 'en' | 'ru' | 'unknown';

export interface CrisisAssessment {
  crisis: boolean;
  /** Categories whose evidence reached the bar, strongest first (empty when `crisis` is false). */
  categories: CrisisCategory[];
  /** Strength of the crisis evidence, 0–1; `crisis` is true from CRISIS_THRESHOLD up. */
  confidence: number;
  language: AssessedLanguage;
}
