import { ClientFacts, compatibility, languageName, ProviderFacts, WEIGHTS } from './compatibility';

const emptyClient: ClientFacts = { interests: [], communicationStyle: null, languages: [], topics: [], sessionTypes: [] };
const emptyProvider: ProviderFacts = { interests: [], communicationStyle: null, languages: [], specialties: [], sessionTypes: [] };

describe('compatibility score', () => {
  it('weights add up to 100', () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('is 0 with no reasons when nothing is known', () => {
    expect(compatibility(emptyClient, emptyProvider)).toEqual({ score: 0, reasons: [] });
  });

  it('is 100 when every factor matches fully, with one reason per factor', () => {
    const result = compatibility(
      { interests: ['Music', 'hiking', 'chess', 'films'], communicationStyle: 'Friendly', languages: ['ru', 'en'], topics: ['anxiety', 'sleep'], sessionTypes: ['video'] },
      { interests: ['music', 'Hiking ', 'chess', 'films'], communicationStyle: 'friendly', languages: ['ru'], specialties: ['anxiety', 'sleep'], sessionTypes: ['text', 'video'] },
    );
    expect(result).toEqual({
      score: 100,
      reasons: [
        'shares 4 interests: music, hiking, chess, films',
        'same communication style: friendly',
        'speaks your language: Russian',
        'specialises in: anxiety, sleep',
        'offers video sessions',
      ],
    });
  });

  it.each([
    [['music'], 10, 'shares 1 interest: music'],
    [['music', 'chess'], 20, 'shares 2 interests: music, chess'],
    [['music', 'chess', 'hiking'], 30, 'shares 3 interests: music, chess, hiking'],
  ])('counts shared interests %j up to three', (interests, score, reason) => {
    const result = compatibility({ ...emptyClient, interests }, { ...emptyProvider, interests: ['music', 'chess', 'hiking', 'yoga'] });
    expect(result).toEqual({ score, reasons: [reason] });
  });

  it('gives specialties half credit per topic up to two', () => {
    const provider = { ...emptyProvider, specialties: ['anxiety', 'grief', 'sleep'] };
    expect(compatibility({ ...emptyClient, topics: ['anxiety', 'trauma'] }, provider)).toEqual({ score: 10, reasons: ['specialises in: anxiety'] });
    expect(compatibility({ ...emptyClient, topics: ['anxiety', 'grief', 'sleep'] }, provider).score).toBe(20);
  });

  it('gives session types the share of the wanted types offered', () => {
    const result = compatibility({ ...emptyClient, sessionTypes: ['text', 'voice', 'video', 'video'] }, { ...emptyProvider, sessionTypes: ['video'] });
    expect(result).toEqual({ score: 3, reasons: ['offers video sessions'] });
  });

  it('needs a common language, not just any languages', () => {
    expect(compatibility({ ...emptyClient, languages: ['de'] }, { ...emptyProvider, languages: ['en', 'fr'] })).toEqual({ score: 0, reasons: [] });
    expect(compatibility({ ...emptyClient, languages: ['de', 'fr'] }, { ...emptyProvider, languages: ['en', 'fr'] })).toEqual({
      score: 25,
      reasons: ['speaks your language: French'],
    });
  });

  it('ignores a communication style only one side gave, and blank values', () => {
    expect(compatibility({ ...emptyClient, communicationStyle: 'direct' }, emptyProvider).score).toBe(0);
    expect(compatibility({ ...emptyClient, communicationStyle: '  ' }, { ...emptyProvider, communicationStyle: '' }).score).toBe(0);
    expect(compatibility({ ...emptyClient, interests: ['', ' '] }, { ...emptyProvider, interests: [''] }).score).toBe(0);
  });

  it('lists at most five names in a reason', () => {
    const interests = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(compatibility({ ...emptyClient, interests }, { ...emptyProvider, interests }).reasons).toEqual(['shares 7 interests: a, b, c, d, e and 2 more']);
  });

  it('names languages in English, falling back to the code', () => {
    expect(languageName('ru')).toBe('Russian');
    expect(languageName('qq')).toBe('qq');
  });
});
