import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CrisisDetector } from './crisis-detector';
import { CrisisCategory } from './safety.types';

describe('CrisisDetector', () => {
  const detector = new CrisisDetector();
  const flagged = (text: string): boolean => detector.assess(text).crisis;
  const categoryOf = (text: string): CrisisCategory | undefined => detector.assess(text).categories[0];

  it.each<[CrisisCategory, string]>([
    ['suicidal_ideation', 'i dont want to be alive anymore'],
    ['suicidal_ideation', 'everyone would be better off without me honestly'],
    ['suicidal_ideation', 'gave away my guitar and my books, theres less to leave behind'],
    ['suicidal_ideation', 'been saving up my meds for a while now'],
    ['suicidal_ideation', 'не хочу жить'],
    ['suicidal_ideation', 'zachem voobshe zhit'],
    ['suicidal_ideation', 'всем будет легче без меня'],
    ['self_harm', 'cut myself again last night'],
    ['self_harm', 'razor is hidden under my mattress for later'],
    ['self_harm', 'опять режусь каждый вечер'],
    ['harm_to_others', 'im going to stab him when he gets home'],
    ['harm_to_others', 'я его зарежу, нож уже под подушкой'],
    ['immediate_danger', 'hes hitting me right now, im in the bathroom'],
    ['immediate_danger', 'он ломится в дверь, помогите'],
    ['overdose', 'swallowed the whole bottle of paracetamol an hour ago'],
    ['overdose', 'выпила все таблетки, все плывет'],
  ])('flags %s: %s', (category, text) => {
    const result = detector.assess(text);
    expect(result.crisis).toBe(true);
    expect(result.categories).toContain(category);
    expect(result.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    'this traffic is killing me',
    'dying to see the new season',
    'i would kill for a coffee',
    'mum is going to kill me when she sees my grades',
    'умру со смеху',
    'надо убить время до вечера',
    'zhit ne mogu bez kofe',
    'killed the final boss on my first try',
    'how do i kill the process on port 8080',
    'сервак опять упал, процесс убил',
    'my laptop is about to die',
  ])('does not flag idioms, games and tech: %s', (text) => {
    expect(flagged(text)).toBe(false);
  });

  it('respects negation in scope, and only in scope', () => {
    expect(flagged('im not going to hurt myself, just sad')).toBe(false);
    expect(flagged('i dont want to die or anything, just tired')).toBe(false);
    expect(flagged('я ничего с собой не сделаю, просто устала')).toBe(false);
    expect(flagged('not suicidal, just tired')).toBe(false);
    // A negation that is part of the phrase, or in another clause, does not cancel it.
    expect(flagged('i dont want to live anymore')).toBe(true);
    expect(flagged('no, i want to kill myself')).toBe(true);
    expect(flagged('dont worry im not going to hurt anyone. just me')).toBe(true);
  });

  it('softens the resolved past unless the message is back in the present', () => {
    expect(flagged('two years ago i tried to kill myself. today i ran a marathon')).toBe(false);
    expect(flagged('i used to cut myself in high school')).toBe(false);
    expect(flagged('год назад пыталась покончить с собой, сейчас все хорошо')).toBe(false);
    expect(flagged('500 days clean from self harm today')).toBe(false);
    expect(flagged('used to cut, relapsed tonight and cut again')).toBe(true);
  });

  it('softens fiction, professional text and other peoples past news', () => {
    expect(flagged('in the movie she swallows all the pills and dies')).toBe(false);
    expect(flagged('patient denies suicidal ideation, no plan, follow up in 2 weeks')).toBe(false);
    expect(flagged('в сериале героиня режет вены')).toBe(false);
    expect(flagged('my neighbour overdosed last year, hes ok now')).toBe(false);
  });

  it('tells routine medication from an overdose in progress', () => {
    expect(flagged('took my sertraline 100mg with breakfast')).toBe(false);
    expect(flagged('counted my pills for the refill, 28 left')).toBe(false);
    expect(flagged('took all my pills an hour ago and cant feel my legs')).toBe(true);
    expect(categoryOf('took all my pills an hour ago and cant feel my legs')).toBe('overdose');
  });

  it('needs two indirect hints, and everyday plans or jokes explain hints and threats away', () => {
    expect(flagged('gave my old guitar to my cousin since i never play')).toBe(false);
    expect(flagged('gave my guitar away and wrote letters for mum and my sister')).toBe(true);
    expect(flagged('already picked the day for the party, its my birthday')).toBe(false);
    expect(flagged('я его убью, он опять съел мой йогурт 😂')).toBe(false);
    expect(flagged('я его убью, он опять тронул маму')).toBe(true);
  });

  it('answers a neutral text with no categories and a low confidence', () => {
    const neutral = detector.assess('had a lovely walk in the park');
    expect(neutral).toEqual({ crisis: false, categories: [], confidence: expect.any(Number), language: 'en' });
    expect(neutral.confidence).toBeLessThan(0.2);
    expect(detector.assess('12345').language).toBe('unknown');
  });

  it('leaves everyday messages alone: scheduling, greetings, small talk, numbers', () => {
    const everyday = [
      'hi how are you',
      'can we move our session to thursday?',
      'running 5 min late sorry',
      'i will be there at 6',
      'yes please',
      'did you get my message?',
      'i need to reschedule',
      'my mom called, we talked for an hour',
      'спасибо за сессию',
      'опаздываю на 10 минут',
      ...Array.from({ length: 200 }, (_, i) => `hello ${i}`),
    ];
    expect(everyday.filter(flagged)).toEqual([]);
  });

  it('ships a model that never saw the held-out sets', () => {
    const [header] = readFileSync(join(__dirname, 'crisis-model.weights.ts'), 'utf8').split('\n', 1);
    expect(header).toContain('dev-set.jsonl');
    expect(header).not.toMatch(/heldout/);
  });
});
