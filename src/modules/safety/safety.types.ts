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

/** One crisis line: how to reach it and when. */
export interface Helpline {
  name: string;
  /** Dialable as written (local format), null when it has no phone line. */
  phone: string | null;
  /** How to reach it by text or chat ("Text HOME to 741741"), null when it has none. */
  text: string | null;
  url: string | null;
  /** When it answers ("24/7", "Mon–Fri 9–21 local time"). */
  hours: string;
  /** ISO 639-1 codes of the languages it answers in. */
  languages: string[];
}

/** The crisis lines for a country (or the international fallback when the country has no entry or is unknown). */
export interface CrisisResources {
  /** The ISO 3166-1 alpha-2 code these lines are for; null for the international fallback. */
  country: string | null;
  /** The local emergency number (112, 911, …). */
  emergency_number: string;
  helplines: Helpline[];
}
