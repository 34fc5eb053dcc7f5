import { normalise, transliterate } from './text-normaliser';

describe('text normalisation', () => {
  it('lowercases, folds ё, drops apostrophes, emoji and punctuation, collapses repeats, expands slang', () => {
    const text = normalise("I'm SOOOO done plzzz 😭 gonna kms rn… Всё ЁЛКИ");
    expect(text.words).toEqual(['im', 'so', 'done', 'please', 'going', 'to', 'kill', 'myself', 'right', 'now', 'все', 'елки']);
    expect(text.language).toBe('en');
  });

  it('marks clause starts at punctuation and emoji', () => {
    const text = normalise('not today. cut again 😔 ok');
    expect(text.clauseStart).toEqual([true, false, true, false, true]);
  });

  it('stems English and Russian words by script', () => {
    expect(normalise('swallowed pills').stems).toEqual(['swallow', 'pill']);
    expect(normalise('выпила таблетки').stems).toEqual(['вып', 'таблетк']);
  });

  it('maps common Latin spellings of Russian to Cyrillic', () => {
    expect(transliterate('zhit')).toBe('жит');
    expect(transliterate('hochu')).toBe('хочу');
    expect(transliterate('vypila')).toBe('выпила');
    expect(transliterate('uje')).toBe('уже');
    expect(transliterate('moy')).toBe('мой');
    expect(transliterate('tebya')).toBe('тебя');
    expect(transliterate('shchas')).toBe('щас');
  });

  it('detects transliterated Russian and leaves English alone', () => {
    const translit = normalise('ne hochu zhit bolshe');
    expect(translit.language).toBe('ru');
    expect(translit.words).toEqual(['не', 'хочу', 'жит', 'болше']);
    const english = normalise('no i do not want to go');
    expect(english.language).toBe('en');
    expect(english.words[0]).toBe('no');
    expect(normalise('🙂 ...').language).toBe('unknown');
  });
});
