/**
 * Crisis detector benchmark: `npm run bench:safety`. Measures, in one run, what the detector
 * costs per message against a baseline doing the least any text check does: lower-casing the
 * message and splitting it into words.
 *
 * Both sides are warmed up first (so the optimising compiler has run), then measured in many
 * short interleaved rounds of about the same length; the fastest round of each side is kept,
 * because on a busy machine a round may lose the CPU and the fastest one rarely does.
 * BENCH_ROUNDS sets the rounds (default 40). The target, checked and printed: the detector
 * costs less than 400 times the baseline (about 15-40 times on an idle machine), which
 * catches an order-of-magnitude regression in the rules or the model. Exits 1 when missed.
 */
import { cpus, loadavg } from 'node:os';
import { CrisisDetector } from '../src/modules/safety/crisis-detector';
import { log } from './support/harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const TARGET_RATIO = 400;

// Everyday and crisis messages in both languages the detector reads, of the length chat messages have.
const MESSAGES = [
  'stayed in bed til 1pm feeling flat and teary. gonna ring my dad tonight, he always helps him',
  'swallowed all my sertraline and the rest of mums sleeping pills. room is spinning right now',
  'плакала весь вечер после ссоры с мужем, но это просто ссора, завтра утром поговорим спокойно',
  'boss added another 4pm meeting on a friday, i swear im jumping out the window lol anyway',
  'не хочу больше жить, всем будет легче без меня, я уже всё решила',
  'had a good session today, we worked on the breathing thing and it actually helped',
];

function main(): void {
  const detector = new CrisisDetector();
  const split = (text: string): unknown => text.toLowerCase().split(/\s+/);
  const assess = (text: string): unknown => detector.assess(text);
  /** Nanoseconds per message over `count` messages. */
  const round = (work: (text: string) => unknown, count: number): number => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) work(MESSAGES[i % MESSAGES.length]);
    return Number(process.hrtime.bigint() - started) / count;
  };

  log(`crisis detector: ${MESSAGES.length} messages, ${ROUNDS} rounds, ${cpus().length} cores, load average ${loadavg()[0].toFixed(2)}`);
  for (let i = 0; i < 4000; i++) for (const work of [split, assess]) work(MESSAGES[i % MESSAGES.length]);

  const baselines: number[] = [];
  const assessments: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    baselines.push(round(split, 2000));
    assessments.push(round(assess, 60));
  }
  const baseline = Math.min(...baselines);
  const detectorCost = Math.min(...assessments);
  const ratio = detectorCost / baseline;
  log(`baseline (lower-case and split into words): ${(baseline / 1000).toFixed(2)} µs per message`);
  log(`detector (rules and model): ${(detectorCost / 1000).toFixed(1)} µs per message, ${Math.round(1e9 / detectorCost).toLocaleString('en')} messages/s on one core`);
  log(`ratio detector ÷ baseline: ${ratio.toFixed(0)}x (target < ${TARGET_RATIO}x): ${ratio < TARGET_RATIO ? 'met' : 'MISSED'}`);
  if (ratio >= TARGET_RATIO) process.exitCode = 1;
}

main();
