import { NormalisedText, stem } from './text-normaliser';

/**
 * A small phrase language over normalised words, compiled once:
 *   "took|swallowed ~2 all|the whole ~1 @drug|bottle"
 * `~N` separates slots and lets up to N other words sit between them; inside a slot, `|`
 * separates alternatives and an alternative may be several adjacent words ("the whole").
 * A word is stemmed like the text (so "pills" also matches "pill", "таблетки" matches
 * "таблеток"); `=word` matches that exact word only (where stems would overreach:
 * "=finale" not "finally"); `pre*` matches words starting with `pre` (before stemming);
 * `@class` is a word class (WORD_CLASSES).
 */
export interface PhraseMatch {
  start: number;
  /** Exclusive. */
  end: number;
}

type WordTest = (word: string, stemmed: string) => boolean;

interface Slot {
  /** Single exact words, by stem. */
  stems: Set<string>;
  /** Everything else: prefixes, classes, several words. */
  sequences: WordTest[][];
  /** Words allowed between the previous slot and this one. */
  gap: number;
}

const NUMBER_WORDS = new Map(
  Object.entries({
    one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
    ten: 10, eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100,
    один: 1, одна: 1, два: 2, две: 2, три: 3, четыре: 4, пять: 5, десять: 10, двадцать: 20, тридцать: 30, сорок: 40, пятьдесят: 50, сто: 100,
  }),
);

function numberValue(word: string): number | null {
  const first = word.charCodeAt(0);
  if (first >= 48 && first <= 57) return /^\d+$/.test(word) ? Number(word) : null;
  return NUMBER_WORDS.get(word) ?? null;
}

const stemSet = (words: string): Set<string> => new Set(words.split(/\s+/).filter(Boolean).map(stem));

// Medicines and substances people take too much of (stems).
const DRUGS = stemSet(
  'pills pill tablets tablet meds medication medications medicine prescription sleeping paracetamol acetaminophen tylenol panadol ibuprofen advil aspirin ' +
    'sertraline zoloft fluoxetine prozac citalopram escitalopram lexapro venlafaxine effexor mirtazapine quetiapine seroquel olanzapine ' +
    'lithium lamotrigine xanax alprazolam klonopin clonazepam valium diazepam ativan lorazepam benzos benzo oxy oxycodone codeine tramadol ' +
    'morphine fentanyl heroin insulin antidepressants painkillers opioids zopiclone zolpidem ambien antihistamines edibles syrup ' +
    'таблетки таблеток таблетками таблетку снотворное снотворного лекарства лекарств феназепам феназепама парацетамол парацетамола ' +
    'антидепрессанты антидепрессантов сертралин сертралина кветиапин кветиапина инсулин инсулина трамадол обезболивающие обезболивающих ' +
    'колеса лития литий реланиум',
);

/** Word classes usable as `@name` in a phrase. */
export const WORD_CLASSES: ReadonlyMap<string, WordTest> = new Map<string, WordTest>([
  ['drug', (_word, stemmed) => DRUGS.has(stemmed)],
  ['num', (word) => numberValue(word) !== null],
  // A count that is already a lot of tablets.
  ['many', (word) => (numberValue(word) ?? 0) >= 8],
  ['year', (word) => /^(19[5-9]\d|20[0-3]\d)$/.test(word)],
]);

export class Phrase<T> {
  readonly slots: Slot[];

  /**
   * For each later slot made only of plain words, the stems of which the text must contain
   * at least one for the phrase to match: a cheap test before walking the phrase.
   */
  readonly required: string[][];

  constructor(
    readonly source: string,
    readonly meta: T,
  ) {
    this.slots = compile(source);
    this.required = this.slots
      .slice(1)
      .filter((slot) => slot.sequences.length === 0)
      .map((slot) => [...slot.stems])
      .sort((a, b) => a.length - b.length);
  }

  /** Leftmost shortest match starting at `start`, if any. */
  matchAt(text: NormalisedText, start: number): PhraseMatch | null {
    const end = this.from(text, 0, start, 0);
    return end < 0 ? null : { start, end };
  }

  /** Tries slot `slotIndex` at `position` .. `position + gap`; the end of the whole match or -1. */
  private from(text: NormalisedText, slotIndex: number, position: number, gap: number): number {
    if (slotIndex === this.slots.length) return position;
    const slot = this.slots[slotIndex];
    const last = Math.min(text.words.length - 1, position + gap);
    for (let i = position; i <= last; i++) {
      if (slot.stems.has(text.stems[i])) {
        const end = this.from(text, slotIndex + 1, i + 1, this.slots[slotIndex + 1]?.gap ?? 0);
        if (end >= 0) return end;
      }
      for (const sequence of slot.sequences) {
        const after = sequenceEnd(sequence, text, i);
        if (after < 0) continue;
        const end = this.from(text, slotIndex + 1, after, this.slots[slotIndex + 1]?.gap ?? 0);
        if (end >= 0) return end;
      }
    }
    return -1;
  }
}

function sequenceEnd(sequence: WordTest[], text: NormalisedText, start: number): number {
  if (start + sequence.length > text.words.length) return -1;
  for (let k = 0; k < sequence.length; k++) {
    if (!sequence[k](text.words[start + k], text.stems[start + k])) return -1;
  }
  return start + sequence.length;
}

function wordTest(word: string): WordTest {
  if (word.startsWith('@')) {
    const test = WORD_CLASSES.get(word.slice(1));
    if (!test) throw new Error(`unknown word class ${word}`);
    return test;
  }
  if (word.endsWith('*')) {
    const prefix = word.slice(0, -1);
    return (w) => w.startsWith(prefix);
  }
  if (word.startsWith('=')) {
    const exact = word.slice(1);
    return (w) => w === exact;
  }
  const wanted = stem(word);
  return (_w, stemmed) => stemmed === wanted;
}

function compile(source: string): Slot[] {
  const slots: Slot[] = [];
  const groups: Array<{ gap: number; text: string }> = [{ gap: 0, text: '' }];
  for (const part of source.trim().replace(/ё/g, 'е').split(/\s+/)) {
    if (/^~\d+$/.test(part)) groups.push({ gap: Number(part.slice(1)), text: '' });
    else groups[groups.length - 1].text += ` ${part}`;
  }
  for (const group of groups) {
    const slot: Slot = { stems: new Set(), sequences: [], gap: group.gap };
    for (const alternative of group.text.split('|')) {
      const words = alternative.trim().split(' ').filter(Boolean);
      if (words.length === 0) throw new Error(`empty alternative in "${source}"`);
      if (words.length === 1 && !/^[@=]|\*$/.test(words[0])) slot.stems.add(stem(words[0]));
      else slot.sequences.push(words.map(wordTest));
    }
    slots.push(slot);
  }
  return slots;
}

/**
 * The index keys under which a phrase can start: `s:<stem>` for words, `p:<first two
 * letters>` for prefixes, `c:<class>` for word classes. A message word looks up its own keys.
 */
function firstKeys(source: string): string[] {
  const keys: string[] = [];
  for (const alternative of source.replace(/ё/g, 'е').split(/\s+~\d+\s+/)[0].split('|')) {
    const first = alternative.trim().split(' ')[0];
    if (first.startsWith('@')) keys.push(`c:${first.slice(1)}`);
    else if (first.endsWith('*')) {
      if (first.length < 3) throw new Error(`prefix too short to index: ${first} in "${source}"`);
      keys.push(`p:${first.slice(0, 2)}`);
    } else keys.push(`s:${stem(first.replace(/^=/, ''))}`);
  }
  return [...new Set(keys)];
}

/**
 * Many phrases, indexed by how their first word can match (see firstKeys), so each word of
 * a message only tries the phrases that can start with it.
 */
export class PhraseSet<T> {
  private readonly byStem = new Map<string, Array<[number, Phrase<T>]>>();
  private readonly byPrefix = new Map<string, Array<[number, Phrase<T>]>>();
  private readonly byClass: Array<[WordTest, Array<[number, Phrase<T>]>]> = [];
  /** Which word position last tried each phrase (by index), so a phrase under two keys runs once per position. */
  private readonly triedAt: Int32Array;
  /** Per text: 0 not checked yet, 1 the text has one of the phrase's required stems, 2 it has none. */
  private readonly possible: Int8Array;

  constructor(phrases: Phrase<T>[]) {
    const byClass = new Map<string, Array<[number, Phrase<T>]>>();
    const add = (map: Map<string, Array<[number, Phrase<T>]>>, key: string, entry: [number, Phrase<T>]): void => {
      const list = map.get(key);
      if (list) list.push(entry);
      else map.set(key, [entry]);
    };
    phrases.forEach((phrase, index) => {
      for (const key of firstKeys(phrase.source)) {
        const value = key.slice(2);
        if (key.startsWith('s:')) add(this.byStem, value, [index, phrase]);
        else if (key.startsWith('p:')) add(this.byPrefix, value, [index, phrase]);
        else add(byClass, value, [index, phrase]);
      }
    });
    for (const [name, list] of byClass) this.byClass.push([WORD_CLASSES.get(name) as WordTest, list]);
    this.triedAt = new Int32Array(phrases.length);
    this.possible = new Int8Array(phrases.length);
  }

  /** Every phrase match, at most one per phrase and start position. Synchronous, so the scratch arrays are safe to share. */
  matchAll(text: NormalisedText, onMatch: (phrase: Phrase<T>, match: PhraseMatch) => void): void {
    this.triedAt.fill(-1);
    this.possible.fill(0);
    const stems = new Set(text.stems);
    for (let i = 0; i < text.words.length; i++) {
      const word = text.words[i];
      const stemmed = text.stems[i];
      this.tryList(this.byStem.get(stemmed), text, stems, i, onMatch);
      if (word.length >= 2) this.tryList(this.byPrefix.get(word.slice(0, 2)), text, stems, i, onMatch);
      for (const [test, list] of this.byClass) if (test(word, stemmed)) this.tryList(list, text, stems, i, onMatch);
    }
  }

  private tryList(
    list: Array<[number, Phrase<T>]> | undefined,
    text: NormalisedText,
    stems: Set<string>,
    position: number,
    onMatch: (phrase: Phrase<T>, match: PhraseMatch) => void,
  ): void {
    if (!list) return;
    for (const [index, phrase] of list) {
      if (this.triedAt[index] === position) continue;
      this.triedAt[index] = position;
      if (this.possible[index] === 0) {
        this.possible[index] = phrase.required.every((slot) => slot.some((s) => stems.has(s))) ? 1 : 2;
      }
      if (this.possible[index] === 2) continue;
      const match = phrase.matchAt(text, position);
      if (match) onMatch(phrase, match);
    }
  }
}
