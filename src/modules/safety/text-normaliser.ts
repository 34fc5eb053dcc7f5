import { newStemmer } from 'snowball-stemmers';

export type DetectedLanguage = 'en' | 'ru' | 'unknown';

/** One word of a message: its normalised surface form and its Snowball stem. */
export interface NormalisedText {
  language: DetectedLanguage;
  /** Normalised words (lowercase, ё→е, slang expanded, transliteration turned into Cyrillic). */
  words: string[];
  /** The Snowball stem of each word (English or Russian by the word's script). */
  stems: string[];
  /** True where a clause ends right before the word (punctuation, emoji, line break). */
  clauseStart: boolean[];
}

/** The script of a lowercased token, by its first letter (tokens are runs of one script in practice). */
type Script = 'cyrillic' | 'latin' | 'other';
function scriptOf(token: string): Script {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code >= 0x0430 && code <= 0x044f) return 'cyrillic';
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0xe0 && code <= 0x24f)) return 'latin';
  }
  return 'other';
}
// Words (Latin, Cyrillic, digits: the two languages assessed) and the clause breaks between them:
// punctuation, emoji (astral-plane pairs and the dingbat/symbol blocks). Everything else is a plain
// separator. Not a /u property regex: this runs on every message and the plain one is several times faster.
const TOKEN = /([a-z0-9а-я\u00e0-\u024f]+)|[.!?;:,…\n]+|[\ud800-\udbff][\udc00-\udfff]|[\u2600-\u27bf]/g;
const APOSTROPHES = /[’'`ʼ‘]/g;
// Laughing emoji read as the word "lol": the joke marker the idiom phrases look for.
const LAUGHING = new Set(['😂', '🤣', '😆', '😹', '💀']);

/**
 * Slang, abbreviations and common misspellings, to their canonical words (several words
 * where the short form stands for a phrase). Keys are normalised words.
 */
const SLANG: ReadonlyMap<string, string[]> = new Map(
  Object.entries({
    gonna: 'going to',
    gna: 'going to',
    finna: 'going to',
    imma: 'im going to',
    ima: 'im going to',
    wanna: 'want to',
    gotta: 'got to',
    tryna: 'trying to',
    rn: 'right now',
    atm: 'right now',
    tn: 'tonight',
    tonite: 'tonight',
    '2nite': 'tonight',
    tmrw: 'tomorrow',
    tmr: 'tomorrow',
    tmrow: 'tomorrow',
    tomoz: 'tomorrow',
    '2moro': 'tomorrow',
    '2morrow': 'tomorrow',
    u: 'you',
    ya: 'you',
    ur: 'your',
    r: 'are',
    pls: 'please',
    plz: 'please',
    plzz: 'please',
    pleasee: 'please',
    bc: 'because',
    bcs: 'because',
    cuz: 'because',
    coz: 'because',
    cos: 'because',
    kms: 'kill myself',
    unalive: 'kill',
    unaliving: 'killing',
    sewerslide: 'suicide',
    sucide: 'suicide',
    suicde: 'suicide',
    suiside: 'suicide',
    suicidal: 'suicidal',
    selfharm: 'self harm',
    od: 'overdose',
    oding: 'overdosing',
    ppl: 'people',
    abt: 'about',
    nd: 'and',
    thru: 'through',
    pils: 'pills',
    pillz: 'pills',
    meds: 'meds',
    bf: 'boyfriend',
    gf: 'girlfriend',
    soo: 'so',
    noo: 'no',
    helpp: 'help',
    nobody: 'nobody',
    noone: 'nobody',
    everyones: 'everyone',
    // Dropped final g.
    sittin: 'sitting', thinkin: 'thinking', goin: 'going', nothin: 'nothing', somethin: 'something', tryin: 'trying',
    feelin: 'feeling', cuttin: 'cutting', dyin: 'dying', killin: 'killing', takin: 'taking', doin: 'doing',
    gettin: 'getting', lookin: 'looking', standin: 'standing', walkin: 'walking', hurtin: 'hurting', cryin: 'crying',
    sayin: 'saying', comin: 'coming', waitin: 'waiting', havin: 'having', livin: 'living', bleedin: 'bleeding',
    // Russian slang and shortenings.
    щас: 'сейчас',
    ща: 'сейчас',
    щя: 'сейчас',
    ваще: 'вообще',
    вобще: 'вообще',
    че: 'что',
    чо: 'что',
    чё: 'что',
    шо: 'что',
    пж: 'пожалуйста',
    пжлст: 'пожалуйста',
    плиз: 'пожалуйста',
    таблы: 'таблетки',
    таблеточки: 'таблетки',
    колеса: 'таблетки',
    мб: 'может быть',
    спс: 'спасибо',
    щаз: 'сейчас',
  }).map(([k, v]) => [k, v.split(' ')]),
);

/** Latin words that are almost certainly Russian in transliteration (not English words). */
const TRANSLIT_MARKERS = new Set(
  ('ne ya menya mne hochu hochetsya hochet zhit zhizn zhizni vse vsyo vsye uje uzhe nikto nikomu nichego zachem voobshe voobshche ' +
    'tabletki tabletok vypila vypil opyat opyat rezhus ruki nuzhna nuzhen chto kak eto tak ochen segodnya zavtra skoro menya moy moya ' +
    'tebya nado mogu budet byt umeret umru pomogite pozhaluysta pozhaluista pojaluista nastroenie derjus derzhus spat kogda pochemu ' +
    'poka sejchas seychas sei4as shas bolshe nikogda prosti prostite proshchayte proschaite sdohnut ubit ubyu sebya sebe ' +
    'plokho ploho huzhe strashno boyus tolko esli chtoby uzhe ploho vizhu zakonchitsya zakonchitsa bessmyslenno bessmislenno ravno ' +
    'vsyu serdce serdtse upakovku upakovka kolotitsya pomogi spasibo privet dnem vecherom nochyu noch reshila reshil umirayu dyshat ' +
    'golova kruzhitsya toshnit tošnit nahlotalas naglotalas snova rezhu ostanovitsya ostanovitsa nikogda prosypatsa prosypatsya')
    .split(' '),
);

// Longest first: the mapper takes the first spelling that matches at each position.
const TRANSLIT_MULTI: Array<[string, string]> = [
  ['shch', 'щ'],
  ['sch', 'щ'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['ts', 'ц'],
  ['tz', 'ц'],
  ['yu', 'ю'],
  ['ya', 'я'],
  ['yo', 'е'],
  ['ye', 'е'],
  ['iy', 'ий'],
  ['yy', 'ый'],
];
const TRANSLIT_SINGLE: Readonly<Record<string, string>> = {
  a: 'а', b: 'б', c: 'ц', d: 'д', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', k: 'к', l: 'л', m: 'м', n: 'н',
  o: 'о', p: 'п', q: 'к', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', w: 'в', x: 'кс', z: 'з',
  š: 'ш', ž: 'ж', č: 'ч', ý: 'ы', é: 'е',
};
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

/** Common Latin spellings of a Russian word, to Cyrillic ("ne hochu zhit" → "не хочу жит"). */
export function transliterate(word: string): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const multi = TRANSLIT_MULTI.find(([latin]) => word.startsWith(latin, i));
    if (multi) {
      out += multi[1];
      i += multi[0].length;
      continue;
    }
    const ch = word[i];
    const next = word[i + 1];
    if (ch === 'j') {
      // ja/ju/jo at the start or after a vowel are я/ю/ё; otherwise j is usually ж ("uje", "derjus").
      const soft = next === 'a' ? 'я' : next === 'u' ? 'ю' : next === 'o' ? 'е' : null;
      if (soft && (i === 0 || VOWELS.has(word[i - 1]))) {
        out += soft;
        i += 2;
        continue;
      }
      out += 'ж';
    } else if (ch === 'y') {
      out += i > 0 && VOWELS.has(word[i - 1]) ? 'й' : 'ы';
    } else {
      out += TRANSLIT_SINGLE[ch] ?? ch;
    }
    i++;
  }
  return out;
}

function looksTransliterated(latinWords: string[]): boolean {
  let markers = 0;
  for (const word of latinWords) if (TRANSLIT_MARKERS.has(word)) markers++;
  return markers >= 2 || (markers >= 1 && latinWords.length <= 3);
}

/** Runs of 3+ equal letters: to two in Latin ("soooo" → "soo", "killlll" → "kill"), to one in Cyrillic. */
function collapseRepeats(word: string): string {
  let repeated = false;
  for (let i = 2; i < word.length && !repeated; i++) repeated = word[i] === word[i - 1] && word[i] === word[i - 2];
  if (!repeated) return word;
  return word.replace(/(.)\1{2,}/g, (run, letter: string) => (scriptOf(letter) === 'cyrillic' ? letter : letter + letter));
}

const english = newStemmer('english');
const russian = newStemmer('russian');
const STEM_CACHE_LIMIT = 50_000;
const stemCache = new Map<string, string>();

/** The Snowball stem of a normalised word (English for Latin script, Russian for Cyrillic), cached. */
export function stem(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  let result = word;
  if (word.length > 3) {
    const script = scriptOf(word);
    if (script === 'cyrillic') result = russian.stem(word);
    else if (script === 'latin') result = english.stem(word);
  }
  // A bounded cache: a flood of unique words resets it instead of growing without end.
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
  stemCache.set(word, result);
  return result;
}

/** Lowercase, ё→е, apostrophes out, emoji and punctuation as clause breaks, repeats collapsed, slang expanded, translit to Cyrillic, stems. */
export function normalise(text: string): NormalisedText {
  const lowered = text.toLowerCase().replace(/ё/g, 'е').replace(APOSTROPHES, '');
  const raw: Array<string | null> = [];
  for (const match of lowered.matchAll(TOKEN)) {
    if (match[1] !== undefined) raw.push(collapseRepeats(match[1]));
    else if (LAUGHING.has(match[0])) raw.push(null, 'lol');
    else raw.push(null);
  }
  let cyrillic = 0;
  let latin = 0;
  const latinWords: string[] = [];
  for (const token of raw) {
    if (token === null) continue;
    const script = scriptOf(token);
    if (script === 'cyrillic') cyrillic++;
    else if (script === 'latin') {
      latin++;
      latinWords.push(token);
    }
  }
  const translit = cyrillic === 0 && latin > 0 && looksTransliterated(latinWords);
  const language: DetectedLanguage = cyrillic > latin || translit ? 'ru' : latin > 0 ? 'en' : cyrillic > 0 ? 'ru' : 'unknown';

  const words: string[] = [];
  const clauseStart: boolean[] = [];
  let breakPending = true;
  for (const token of raw) {
    if (token === null) {
      breakPending = true;
      continue;
    }
    const word = translit && scriptOf(token) === 'latin' ? transliterate(token) : token;
    const expanded = SLANG.get(word) ?? [word];
    for (const part of expanded) {
      words.push(part);
      clauseStart.push(breakPending);
      breakPending = false;
    }
  }
  return { language, words, stems: words.map(stem), clauseStart };
}
