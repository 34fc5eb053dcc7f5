import { CRISIS_CATEGORIES, type CrisisCategory } from './safety.types';
import type { NormalisedText } from './text-normaliser';

/**
 * A small statistical model beside the phrase patterns: logistic regression over hashed
 * features of the normalised text (stems, stem pairs and triples, 4-letter pieces of words),
 * trained by `scripts/train-crisis-model.ts` on the labelled sets in test/fixtures/safety and
 * shipped as int8 weights in crisis-model.weights.ts (nothing is downloaded). The patterns
 * know negation, tense and framing exactly; the model generalises to wordings no pattern
 * names. A second set of weights per category names what kind of crisis the model saw.
 */
export interface CrisisModelWeights {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** int8 weights (base64) times `scale` give the real weights; the last bucket is unused. */
  crisis: { scale: number; bias: number; weights: string };
  /** One-vs-rest weights per category, same buckets. */
  categories: Array<{ category: CrisisCategory; scale: number; bias: number; weights: string }>;
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
const SPACE = 0x20;
const CLOSE = 0x3e; // '>'

const step = (hash: number, code: number): number => Math.imul(hash ^ code, 0x01000193) >>> 0;

/**
 * The text's features as bucket → value, L2-normalised (shared by training and inference):
 * each stem (`u:`), stem pair (`b:`) and triple (`t:`), and each 4-character piece of
 * `<word>` (`c:`, half weight), hashed into 2^bits buckets.
 */
export function crisisFeatures(text: NormalisedText, bits: number): Map<number, number> {
  const mask = (1 << bits) - 1;
  const features = new Map<number, number>();
  const add = (hash: number, value: number): void => {
    const bucket = hash & mask;
    features.set(bucket, (features.get(bucket) ?? 0) + value);
  };
  const { stems, words } = text;
  for (let i = 0; i < stems.length; i++) {
    add(fnv1a(UNIGRAM, stems[i]), 1);
    if (i + 1 < stems.length) {
      const pair = fnv1a(step(fnv1a(BIGRAM, stems[i]), SPACE), stems[i + 1]);
      add(pair, 1);
      if (i + 2 < stems.length) add(fnv1a(step(fnv1a(step(fnv1a(TRIGRAM, stems[i]), SPACE), stems[i + 1]), SPACE), stems[i + 2]), 1);
    }
    // The pieces of "<word>": the first starts with '<', the last ends with '>'.
    const word = words[i];
    const length = word.length + 2;
    for (let k = 0; k + 4 <= length; k++) {
      let hash = k === 0 ? PIECE : PIECE_INSIDE;
      const first = k === 0 ? 0 : k - 1;
      const last = Math.min(k + 3, word.length);
      hash = fnv1a(hash, word, first, last);
      if (k + 4 === length) hash = step(hash, CLOSE);
      add(hash, 0.5);
    }
  }
  let norm = 0;
  for (const value of features.values()) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (const [bucket, value] of features) features.set(bucket, value / norm);
  return features;
}

const decode = (base64: string): Int8Array => {
  const bytes = Buffer.from(base64, 'base64');
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
};

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function score(weights: { scale: number; bias: number; weights: Int8Array }, features: Map<number, number>): number {
  let z = weights.bias;
  for (const [bucket, value] of features) z += weights.weights[bucket] * weights.scale * value;
  return z;
}

export class CrisisModel {
  private readonly crisis: { scale: number; bias: number; weights: Int8Array };
  private readonly categories: Array<{ category: CrisisCategory; scale: number; bias: number; weights: Int8Array }>;

  constructor(private readonly model: CrisisModelWeights) {
    this.crisis = { ...model.crisis, weights: decode(model.crisis.weights) };
    this.categories = model.categories.filter((c) => CRISIS_CATEGORIES.includes(c.category)).map((c) => ({ ...c, weights: decode(c.weights) }));
  }

  /** The text's features: compute once, then ask for the probability and (for a crisis) the category. */
  features(text: NormalisedText): Map<number, number> {
    return crisisFeatures(text, this.model.bits);
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
