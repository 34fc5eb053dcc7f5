import { Injectable } from '@nestjs/common';
import { CrisisModel } from './crisis-model';
import { CRISIS_MODEL_WEIGHTS } from './crisis-model.weights';
import { CRISIS_PHRASES, CrisisPhrase, FRAMES, FrameKind, IDIOMS, NEGATION_REACH, NEGATORS, PRESENT_MARKERS } from './crisis-patterns';
import { Phrase, PhraseMatch, PhraseSet } from './phrase-matcher';
import { CRISIS_CATEGORIES, CrisisAssessment, CrisisCategory } from './safety.types';
import { NormalisedText, normalise } from './text-normaliser';

/** Evidence at or above this makes a message a crisis. */
export const CRISIS_THRESHOLD = 0.5;
/** Where the model's probability decides, beside the patterns. */
export interface ModelThresholds {
  /** From here the model flags a message on its own (wordings no pattern names). */
  flag: number;
  /** Below this the model overrules a pattern's crisis (phrasing the patterns misread). */
  veto: number;
}

/**
 * Chosen by 5-fold cross-validation of the whole detector on the training sets and on the
 * validation set's totals (npm run safety:train -- --cv 5; README, "Measuring it").
 */
export const MODEL_THRESHOLDS: ModelThresholds = { flag: 0.35, veto: 0.1 };

/** How much each framing softens crisis evidence found outside it. */
const FRAME_FACTOR: Readonly<Record<FrameKind, number>> = {
  fiction: 0.2,
  clinical: 0.2,
  tech: 0.25,
  past: 0.3,
  routine: 0.3,
  safe: 0.35,
  mundane: 0.45,
  joke: 0.4,
};
// Everyday plans soften hints below this weight, never explicit statements.
const MUNDANE_LIMIT = 0.7;
// A joke softens threats ("i'll kill him lol"), not self-directed signals, where "lol" often masks pain.
const JOKE_APPLIES: ReadonlySet<CrisisCategory> = new Set(['harm_to_others', 'immediate_danger']);
// Routine-medication framing only speaks to pills: it says nothing about a knife or a locked door.
const ROUTINE_APPLIES: ReadonlySet<CrisisCategory> = new Set(['suicidal_ideation', 'overdose']);

type Marker = { kind: 'idiom' } | { kind: 'frame'; frame: FrameKind } | { kind: 'present' };

/**
 * Crisis-language detection for English and Russian: pure, synchronous, no I/O. Words are
 * normalised (slang, repeats, transliteration) and stemmed; phrase patterns find evidence
 * per category; context rules cancel or soften it: negation in scope, idioms overlapping
 * the phrase, and framing elsewhere in the message (fiction, professional text, games and
 * tech, resolved past or other people's past, routine medication, explicit safety, everyday
 * plans, jokes), unless the message puts it back in the present ("again", "right now") or
 * the phrase itself is about something happening now.
 */
export class CrisisAssessor {
  private readonly crisis = new PhraseSet(CRISIS_PHRASES.map(([source, meta]) => new Phrase<CrisisPhrase>(source, meta)));
  private readonly markers = new PhraseSet<Marker>([
    ...IDIOMS.map((source) => new Phrase<Marker>(source, { kind: 'idiom' })),
    ...FRAMES.flatMap(([frame, sources]) => sources.map((source) => new Phrase<Marker>(source, { kind: 'frame', frame }))),
    ...PRESENT_MARKERS.map((source) => new Phrase<Marker>(source, { kind: 'present' })),
  ]);

  /** `model` and `thresholds`: the shipped ones, or those the training script is cross-validating. */
  constructor(
    private readonly model: CrisisModel,
    private readonly thresholds: ModelThresholds = MODEL_THRESHOLDS,
  ) {}

  /**
   * The patterns' verdict and the model's probability together: the model alone flags from
   * `flag`; a pattern's crisis stands unless the model finds it very unlikely (below `veto`:
   * fiction or a joke the patterns have no frame for).
   */
  assess(text: string): CrisisAssessment {
    const normalised = normalise(text);
    const patterns = this.patterns(normalised);
    const features = this.model.features(normalised);
    const probability = this.model.probability(features);
    const byPatterns = patterns.crisis && probability >= this.thresholds.veto;
    const byModel = probability >= this.thresholds.flag;
    if (!byModel && !byPatterns) return { crisis: false, categories: [], confidence: round(Math.min(Math.max(patterns.confidence, probability), CRISIS_THRESHOLD - 0.001)), language: normalised.language };
    return {
      crisis: true,
      categories: byPatterns ? patterns.categories : [this.model.category(features)],
      confidence: round(Math.max(byPatterns ? patterns.confidence : 0, probability)),
      language: normalised.language,
    };
  }

  /** The phrase patterns with their context rules alone. */
  private patterns(normalised: NormalisedText): CrisisAssessment {
    const evidence: Array<{ phrase: CrisisPhrase; match: PhraseMatch }> = [];
    this.crisis.matchAll(normalised, (phrase, match) => {
      if (phrase.meta.raw || !negated(normalised, match.start)) evidence.push({ phrase: phrase.meta, match });
    });
    // Most messages stop here: context only ever lowers evidence, so when even the raw
    // evidence of every category stays under the bar there is nothing left to weigh.
    if (evidence.length === 0) return { crisis: false, categories: [], confidence: 0, language: normalised.language };
    if (!this.couldReachBar(evidence)) return this.belowBar(evidence, normalised.language);

    const idioms: PhraseMatch[] = [];
    const frames: Array<{ frame: FrameKind; match: PhraseMatch }> = [];
    let present = false;
    this.markers.matchAll(normalised, (phrase, match) => {
      const marker = phrase.meta;
      if (marker.kind === 'idiom') idioms.push(match);
      else if (marker.kind === 'frame') frames.push({ frame: marker.frame, match });
      else present = true;
    });

    // Overlapping phrases of one category are one signal (the strongest); separate signals
    // combine as 1 - Π(1 - evidence), so two weak ones add up and one strong one is enough.
    const signals = new Map<CrisisCategory, Array<{ start: number; end: number; value: number }>>();
    for (const { phrase, match } of evidence) {
      const { category, weight, urgent } = phrase;
      // Something happening now is not a figure of speech ("he says he'll kill me when he's back").
      if (!urgent && idioms.some((idiom) => overlaps(idiom, match))) continue;
      let factor = 1;
      for (const { frame, match: where } of frames) {
        if (overlaps(where, match)) continue;
        if (frame === 'routine' && !ROUTINE_APPLIES.has(category)) continue;
        if (frame === 'joke' && !JOKE_APPLIES.has(category)) continue;
        if (frame === 'mundane' && weight >= MUNDANE_LIMIT) continue;
        if ((frame === 'past' || frame === 'safe') && (present || urgent)) continue;
        factor = Math.min(factor, FRAME_FACTOR[frame]);
      }
      const value = weight * factor;
      const list = signals.get(category) ?? [];
      const same = list.find((signal) => overlaps(signal, match));
      if (same) {
        same.value = Math.max(same.value, value);
        same.start = Math.min(same.start, match.start);
        same.end = Math.max(same.end, match.end);
      } else list.push({ start: match.start, end: match.end, value });
      signals.set(category, list);
    }
    const miss = new Map<CrisisCategory, number>();
    for (const [category, list] of signals) miss.set(category, list.reduce((product, signal) => product * (1 - signal.value), 1));

    const scored = CRISIS_CATEGORIES.map((category) => ({ category, score: 1 - (miss.get(category) ?? 1) }))
      .filter(({ score }) => score > 0)
      .sort((a, b) => b.score - a.score);
    const confidence = scored.length > 0 ? round(scored[0].score) : 0;
    const crisis = confidence >= CRISIS_THRESHOLD;
    return {
      crisis,
      categories: crisis ? scored.filter(({ score }) => score >= CRISIS_THRESHOLD).map(({ category }) => category) : [],
      confidence,
      language: normalised.language,
    };
  }

  /** An upper bound: each category's evidence combined as if no context softened it. */
  private couldReachBar(evidence: Array<{ phrase: CrisisPhrase }>): boolean {
    const miss = new Map<CrisisCategory, number>();
    for (const { phrase } of evidence) miss.set(phrase.category, (miss.get(phrase.category) ?? 1) * (1 - phrase.weight));
    for (const value of miss.values()) if (1 - value >= CRISIS_THRESHOLD) return true;
    return false;
  }

  /** The answer for weak evidence: not a crisis, with the strongest single signal as confidence. */
  private belowBar(evidence: Array<{ phrase: CrisisPhrase }>, language: CrisisAssessment['language']): CrisisAssessment {
    return { crisis: false, categories: [], confidence: round(Math.max(...evidence.map(({ phrase }) => phrase.weight))), language };
  }
}

function negated(text: NormalisedText, start: number): boolean {
  for (let i = start - 1; i >= 0 && i >= start - NEGATION_REACH; i--) {
    // A clause break between the negation and the phrase ends its scope.
    if (text.clauseStart[i + 1]) return false;
    if (NEGATORS.has(text.words[i])) return true;
  }
  return false;
}

const overlaps = (a: PhraseMatch, b: PhraseMatch): boolean => a.start < b.end && b.start < a.end;

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** The detector Haven runs: the assessor with the shipped model. */
@Injectable()
export class CrisisDetector extends CrisisAssessor {
  constructor() {
    super(new CrisisModel(CRISIS_MODEL_WEIGHTS));
  }
}
