/**
 * The compatibility score between a client and a provider: 0–100, with the reasons that
 * explain it. Pure: the callers load the facts, this weighs them.
 *
 * Five factors, each worth at most its weight (they add up to 100):
 * - interests (30): 10 per interest both listed, up to 3 (personality data);
 * - communication style (15): the same style, compared case-insensitively (personality data);
 * - languages (25): the provider speaks one of the client's preferred languages;
 * - specialties (20): 10 per topic of the client's the provider specialises in, up to 2;
 * - session types (10): the share of the client's preferred types the provider offers.
 * A factor the client (or the provider) says nothing about scores 0 and gives no reason, so a
 * filled profile always ranks above an empty one.
 */

export const WEIGHTS = { interests: 30, communicationStyle: 15, languages: 25, specialties: 20, sessionTypes: 10 } as const;

/** Shared interests that count fully, and topics matched by specialties that count fully. */
const INTERESTS_FOR_FULL_CREDIT = 3;
const TOPICS_FOR_FULL_CREDIT = 2;
/** The most names one reason lists. */
const REASON_NAMES_MAX = 5;

export interface ClientFacts {
  interests: readonly string[];
  communicationStyle: string | null;
  /** ISO 639-1 codes, in the client's order of preference. */
  languages: readonly string[];
  /** Needs or topics the client wants help with (lower-case tags, like specialties). */
  topics: readonly string[];
  sessionTypes: readonly string[];
}

export interface ProviderFacts {
  interests: readonly string[];
  communicationStyle: string | null;
  languages: readonly string[];
  specialties: readonly string[];
  sessionTypes: readonly string[];
}

export interface Compatibility {
  /** 0–100. */
  score: number;
  /** One sentence per factor that scored, strongest evidence first. */
  reasons: string[];
}

export function compatibility(client: ClientFacts, provider: ProviderFacts): Compatibility {
  const reasons: string[] = [];
  let score = 0;

  const interests = shared(client.interests, provider.interests);
  if (interests.length > 0) {
    score += (WEIGHTS.interests * Math.min(interests.length, INTERESTS_FOR_FULL_CREDIT)) / INTERESTS_FOR_FULL_CREDIT;
    reasons.push(`shares ${interests.length} interest${interests.length === 1 ? '' : 's'}: ${names(interests)}`);
  }

  const style = normalise(client.communicationStyle ?? '');
  if (style && style === normalise(provider.communicationStyle ?? '')) {
    score += WEIGHTS.communicationStyle;
    reasons.push(`same communication style: ${style}`);
  }

  const languages = shared(client.languages, provider.languages);
  if (languages.length > 0) {
    score += WEIGHTS.languages;
    reasons.push(`speaks your language: ${names(languages.map(languageName))}`);
  }

  const topics = shared(client.topics, provider.specialties);
  if (topics.length > 0) {
    score += (WEIGHTS.specialties * Math.min(topics.length, TOPICS_FOR_FULL_CREDIT)) / TOPICS_FOR_FULL_CREDIT;
    reasons.push(`specialises in: ${names(topics)}`);
  }

  const wanted = unique(client.sessionTypes);
  const types = shared(wanted, provider.sessionTypes);
  if (types.length > 0) {
    score += (WEIGHTS.sessionTypes * types.length) / wanted.length;
    reasons.push(`offers ${names(types)} sessions`);
  }

  return { score: Math.max(0, Math.min(100, Math.round(score))), reasons };
}

/** The English name of an ISO 639-1 code ("ru" → "Russian"); the code itself when unknown. */
export function languageName(code: string): string {
  try {
    return LANGUAGE_NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

const normalise = (value: string): string => value.trim().toLowerCase().replace(/\s+/g, ' ');

function unique(values: readonly string[]): string[] {
  return [...new Set(values.map(normalise).filter((v) => v.length > 0))];
}

/** The values of `a` (in a's order, normalised, once each) that `b` also has. */
function shared(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(unique(b));
  return unique(a).filter((v) => other.has(v));
}

function names(values: string[]): string {
  const shown = values.slice(0, REASON_NAMES_MAX).join(', ');
  return values.length > REASON_NAMES_MAX ? `${shown} and ${values.length - REASON_NAMES_MAX} more` : shown;
}
