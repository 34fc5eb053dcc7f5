import { CRISIS_CATEGORIES, type CrisisCategory } from './safety.types';
import { NEGATION_REACH, NEGATORS } from './crisis-patterns';
import type { NormalisedText } from './text-normaliser';

/**
 * A small statistical model beside the phrase patterns: logistic regression over hashed
 * features of the normalised text (stems, stem pairs, triples and pairs two apart, stems in a
 * negation's scope, 4-letter pieces of words),
 * trained by `scripts/train-crisis-model.ts` on the labelled sets in test/fixtures/safety and
 * shipped as int8 weights in crisis-model.weights.ts (nothing is downloaded). The patterns
 * know negation, tense and framing exactly; the model generalises to wordings no pattern
 * names. A second set of weights per category names what kind of crisis the model saw.
 */
export interface LinearWeights {
  /** log2 of the number of buckets a feature's hash falls into. */
  bits: number;
  /** int8 weights, sparse (see encodeWeights), base64; times `scale` they are the real weights. */
  scale: number;
  bias: number;
  weights: string;
}

export interface CrisisModelWeights {
  crisis: LinearWeights;
  /** One-vs-rest weights per category (fewer buckets: they only choose among crisis texts). */
  categories: Array<LinearWeights & { category: CrisisCategory }>;
}

const FNV_OFFSET = 0x811c9dc5;

/** Continues a 32-bit FNV-1a hash over `text`: hashing parts in turn equals hashing them joined, without building the string. */
function fnv1a(hash: number, text: string, from = 0, to = text.length): number {
  let h = hash;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const UNIGRAM = fnv1a(FNV_OFFSET, 'u:');
const BIGRAM = fnv1a(FNV_OFFSET, 'b:');
const TRIGRAM = fnv1a(FNV_OFFSET, 't:');
const PIECE = fnv1a(FNV_OFFSET, 'c:<');
const PIECE_INSIDE = fnv1a(FNV_OFFSET, 'c:');
const NEGATED = fnv1a(FNV_OFFSET, 'n:');
const SKIP = fnv1a(FNV_OFFSET, 's:');
/** A short text is scaled as if its features weighed this much (about fifteen words): three words must not speak as loudly as fifteen. */
const MIN_SQUARED_NORM = 64;
const SPACE = 0x20;
const CLOSE = 0x3e; // '>'

const step = (hash: number, code: number): number => Math.imul(hash ^ code, 0x01000193) >>> 0;

/** Digits carry no crisis meaning and would scatter over the buckets: every run of them is one `0`. */
const digitless = (token: string): string => (/[0-9]/.test(token) ? token.replace(/[0-9]+/g, '0') : token);

/**
 * The text's features as 32-bit hash → value, L2-normalised (shared by training and
 * inference): each stem (`u:`), stem pair (`b:`) and triple (`t:`), and each 4-character
 * piece of `<word>` (`c:`, half weight). A model folds the hashes into its 2^bits buckets.
 */
export function crisisFeatures(text: NormalisedText): Map<number, number> {
  const features = new Map<number, number>();
  const add = (hash: number, value: number): void => {
    features.set(hash, (features.get(hash) ?? 0) + value);
  };
  const stems = text.stems.map(digitless);
  const words = text.words.map(digitless);
  let negatedUntil = -1;
  for (let i = 0; i < stems.length; i++) {
    add(fnv1a(UNIGRAM, stems[i]), 1);
    // A stem in a negation's scope is also its own feature ("not hurt" is not "hurt").
    if (text.clauseStart[i]) negatedUntil = -1;
    if (i <= negatedUntil) add(fnv1a(NEGATED, stems[i]), 1);
    if (NEGATORS.has(words[i])) negatedUntil = i + NEGATION_REACH;
    if (i + 2 < stems.length) add(fnv1a(step(fnv1a(SKIP, stems[i]), SPACE), stems[i + 2]), 0.5);
    if (i + 1 < stems.length) {
      add(fnv1a(step(fnv1a(BIGRAM, stems[i]), SPACE), stems[i + 1]), 1);
      if (i + 2 < stems.length) add(fnv1a(step(fnv1a(step(fnv1a(TRIGRAM, stems[i]), SPACE), stems[i + 1]), SPACE), stems[i + 2]), 1);
    }
    // The pieces of "<word>": the first starts with '<', the last ends with '>'.
    const word = words[i];
    const length = word.length + 2;
    for (let k = 0; k + 4 <= length; k++) {
      let hash = fnv1a(k === 0 ? PIECE : PIECE_INSIDE, word, k === 0 ? 0 : k - 1, Math.min(k + 3, word.length));
      if (k + 4 === length) hash = step(hash, CLOSE);
      add(hash, 0.5);
    }
  }
  let norm = 0;
  for (const value of features.values()) norm += value * value;
  norm = Math.sqrt(Math.max(norm, MIN_SQUARED_NORM));
  for (const [hash, value] of features) features.set(hash, value / norm);
  return features;
}

/**
 * The weights are stored sparse: for each non-zero weight, the gap to the previous non-zero
 * bucket as a varint, then the int8 weight (most buckets never see a feature and stay zero).
 */
export function encodeWeights(weights: Int8Array): string {
  const bytes: number[] = [];
  let previous = -1;
  for (let bucket = 0; bucket < weights.length; bucket++) {
    if (weights[bucket] === 0) continue;
    let gap = bucket - previous;
    previous = bucket;
    while (gap >= 0x80) {
      bytes.push((gap & 0x7f) | 0x80);
      gap >>>= 7;
    }
    bytes.push(gap, weights[bucket] & 0xff);
  }
  return Buffer.from(bytes).toString('base64');
}

function decodeWeights(encoded: string, bits: number): Int8Array {
  const bytes = Buffer.from(encoded, 'base64');
  const weights = new Int8Array(1 << bits);
  let bucket = -1;
  for (let i = 0; i < bytes.length; ) {
    let gap = 0;
    let shift = 0;
    while (bytes[i] & 0x80) {
      gap |= (bytes[i++] & 0x7f) << shift;
      shift += 7;
    }
    gap |= bytes[i++] << shift;
    bucket += gap;
    weights[bucket] = (bytes[i++] << 24) >> 24;
  }
  return weights;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

interface DecodedWeights {
  mask: number;
  scale: number;
  bias: number;
  weights: Int8Array;
}

const decoded = (w: LinearWeights): DecodedWeights => ({ mask: (1 << w.bits) - 1, scale: w.scale, bias: w.bias, weights: decodeWeights(w.weights, w.bits) });

function score(w: DecodedWeights, features: Map<number, number>): number {
  let z = w.bias;
  for (const [hash, value] of features) z += w.weights[hash & w.mask] * w.scale * value;
  return z;
}

export class CrisisModel {
  private readonly crisis: DecodedWeights;
  private readonly categories: Array<DecodedWeights & { category: CrisisCategory }>;

  constructor(model: CrisisModelWeights) {
    this.crisis = decoded(model.crisis);
    this.categories = model.categories.filter((c) => CRISIS_CATEGORIES.includes(c.category)).map((c) => ({ ...decoded(c), category: c.category }));
  }

  /** The text's features: compute once, then ask for the probability and (for a crisis) the category. */
  features(text: NormalisedText): Map<number, number> {
    return crisisFeatures(text);
  }

  /** The probability that the text shows a crisis now. */
  probability(features: Map<number, number>): number {
    return sigmoid(score(this.crisis, features));
  }

  /** The most likely kind of crisis. */
  category(features: Map<number, number>): CrisisCategory {
    let best: CrisisCategory = 'suicidal_ideation';
    let bestScore = -Infinity;
    for (const candidate of this.categories) {
      const value = score(candidate, features);
      if (value > bestScore) [best, bestScore] = [candidate.category, value];
    }
    return best;
  }

  /** Both at once (for the training script's report). */
  assess(text: NormalisedText): { probability: number; category: CrisisCategory } {
    const features = this.features(text);
    return { probability: this.probability(features), category: this.category(features) };
  }
}
