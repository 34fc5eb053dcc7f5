// The package ships no types: only what Haven uses.
declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(language: 'english' | 'russian'): Stemmer;
}
