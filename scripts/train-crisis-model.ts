/**
 * Trains the crisis detector's statistical model (src/modules/safety/crisis-model.ts) on the
 * labelled sets in test/fixtures/safety and writes src/modules/safety/crisis-model.weights.ts.
 *
 *   npm run safety:train                      train on every set, write the weights
 *   npm run safety:train -- --holdout FILE    train without FILE, report on FILE, write nothing
 *
 * Deterministic: the same sets give the same weights. Logistic regression with AdaGrad and a
 * little L2, then int8 quantisation (the report is computed with the quantised weights).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CrisisModel, crisisFeatures, encodeWeights, type CrisisModelWeights, type LinearWeights } from 'src/modules/safety/crisis-model';
import { CRISIS_CATEGORIES, type CrisisCategory } from 'src/modules/safety/safety.types';
import { normalise } from 'src/modules/safety/text-normaliser';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'safety');
const SETS = ['dev-set.jsonl', 'haven-extra.jsonl', 'haven-blind.jsonl', 'haven-blind-2.jsonl', 'haven-everyday.jsonl'];
const OUTPUT = join(ROOT, 'src', 'modules', 'safety', 'crisis-model.weights.ts');
/** Buckets of the crisis weights (2^20: few collisions, so unseen words stay near zero) and of the category weights. */
const CRISIS_BITS = 20;
const CATEGORY_BITS = 14;
const EPOCHS = 20;
const RATE = 0.5;
const L2 = 1e-4;

interface Item {
  id: string;
  label: 'crisis' | 'benign';
  category: string;
  text: string;
}

const load = (file: string): Item[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Item);

/** A seeded shuffle, so training is reproducible. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 48271) % 2147483647) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** One logistic regression over 2^bits buckets: returns real-valued weights (bias in the last slot). */
function train(examples: Array<[Map<number, number>, number]>, bits: number): Float64Array {
  const size = 1 << bits;
  const mask = size - 1;
  const weights = new Float64Array(size + 1);
  const squares = new Float64Array(size + 1).fill(1e-8);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const [features, target] of shuffled(examples, epoch + 1)) {
      let z = weights[size];
      for (const [hash, value] of features) z += weights[hash & mask] * value;
      const error = 1 / (1 + Math.exp(-z)) - target;
      for (const [hash, value] of features) {
        const bucket = hash & mask;
        const gradient = error * value + L2 * weights[bucket];
        squares[bucket] += gradient * gradient;
        weights[bucket] -= (RATE * gradient) / Math.sqrt(squares[bucket]);
      }
      squares[size] += error * error;
      weights[size] -= (RATE * error) / Math.sqrt(squares[size]);
    }
  }
  return weights;
}

function quantise(weights: Float64Array, bits: number): LinearWeights {
  const size = 1 << bits;
  let largest = 0;
  for (let i = 0; i < size; i++) largest = Math.max(largest, Math.abs(weights[i]));
  const scale = largest / 127 || 1;
  const bytes = new Int8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.round(weights[i] / scale);
  return { bits, scale: Number(scale.toPrecision(6)), bias: Number(weights[size].toPrecision(6)), weights: encodeWeights(bytes) };
}

function main(): void {
  const { values } = parseArgs({ options: { holdout: { type: 'string' } } });
  const holdout = values.holdout ? load(values.holdout) : [];
  const held = new Set(holdout.map((item) => item.id));
  const items = SETS.flatMap((set) => load(join(FIXTURES, set))).filter((item) => !held.has(item.id));
  const featurised = items.map((item) => ({ item, features: crisisFeatures(normalise(item.text)) }));
  console.log(`train-crisis-model: ${items.length} items (${featurised.filter((f) => f.item.label === 'crisis').length} crisis)${values.holdout ? `, holding out ${basename(values.holdout)}` : ''}`);

  const model: CrisisModelWeights = {
    crisis: quantise(train(featurised.map(({ item, features }) => [features, item.label === 'crisis' ? 1 : 0]), CRISIS_BITS), CRISIS_BITS),
    categories: CRISIS_CATEGORIES.map((category: CrisisCategory) => ({
      category,
      ...quantise(train(featurised.filter(({ item }) => item.label === 'crisis').map(({ item, features }) => [features, item.category === category ? 1 : 0]), CATEGORY_BITS), CATEGORY_BITS),
    })),
  };

  if (holdout.length > 0) {
    const trained = new CrisisModel(model);
    const scored = holdout.map((item) => ({ item, probability: trained.assess(normalise(item.text)).probability }));
    for (const threshold of [0.3, 0.4, 0.5, 0.6]) {
      const crisis = scored.filter((s) => s.item.label === 'crisis');
      const benign = scored.filter((s) => s.item.label === 'benign');
      const recall = crisis.filter((s) => s.probability >= threshold).length / crisis.length;
      const falsePositives = benign.filter((s) => s.probability >= threshold).length / benign.length;
      console.log(`  model alone at ${threshold}: recall ${recall.toFixed(3)}, benign false positives ${falsePositives.toFixed(3)}`);
    }
    return;
  }
  const source = `// Generated by scripts/train-crisis-model.ts (npm run safety:train) from ${SETS.join(', ')}: do not edit.
import type { CrisisModelWeights } from './crisis-model';

export const CRISIS_MODEL_WEIGHTS: CrisisModelWeights = ${JSON.stringify(model)};
`;
  writeFileSync(OUTPUT, source);
  console.log(`train-crisis-model: wrote ${OUTPUT} (${Math.round(source.length / 1024)} KiB)`);
}

main();
