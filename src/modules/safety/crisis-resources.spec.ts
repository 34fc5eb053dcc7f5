import { isSupportedCountry } from 'libphonenumber-js';
import { CRISIS_LINES, INTERNATIONAL_LINES } from './crisis-resources';
import { CrisisResourcesService } from './crisis-resources.service';
import type { Helpline } from './safety.types';

const REQUIRED = ['US', 'CA', 'GB', 'IE', 'AU', 'NZ', 'DE', 'FR', 'ES', 'IT', 'NL', 'RU', 'UA', 'IN', 'BR', 'JP', 'ZA'];
const LANGUAGE = /^[a-z]{2}$/;
const DIALLABLE = /^\+?[0-9][0-9 ()-]*[0-9]$/;

function expectWellFormed(helpline: Helpline, where: string): void {
  expect({ where, name: helpline.name.trim().length > 0 }).toEqual({ where, name: true });
  expect({ where, reachable: helpline.phone !== null || helpline.text !== null || helpline.url !== null }).toEqual({ where, reachable: true });
  if (helpline.phone !== null) expect({ where, phone: DIALLABLE.test(helpline.phone) }).toEqual({ where, phone: true });
  if (helpline.url !== null) expect({ where, url: new URL(helpline.url).protocol.startsWith('http') }).toEqual({ where, url: true });
  expect({ where, hours: helpline.hours.trim().length > 0 }).toEqual({ where, hours: true });
  expect({ where, languages: helpline.languages.length > 0 && helpline.languages.every((l) => LANGUAGE.test(l)) }).toEqual({ where, languages: true });
}

describe('crisis resources table', () => {
  const service = new CrisisResourcesService();

  it('covers at least 15 countries, including the required ones, each once with a valid ISO code', () => {
    const codes = CRISIS_LINES.map((entry) => entry.country);
    expect(codes.length).toBeGreaterThanOrEqual(15);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(expect.arrayContaining(REQUIRED));
    for (const code of codes) expect({ code, valid: /^[A-Z]{2}$/.test(code) && isSupportedCountry(code) }).toEqual({ code, valid: true });
  });

  it('gives every country an emergency number, 1 to 3 well-formed lines, and a verified date and source', () => {
    for (const entry of CRISIS_LINES) {
      expect({ country: entry.country, emergency: /^[0-9]{2,4}$/.test(entry.emergency_number) }).toEqual({ country: entry.country, emergency: true });
      expect(entry.helplines.length).toBeGreaterThanOrEqual(1);
      expect(entry.helplines.length).toBeLessThanOrEqual(3);
      expect(entry.verified).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(new URL(entry.source).protocol).toBe('https:');
      entry.helplines.forEach((helpline, i) => expectWellFormed(helpline, `${entry.country}[${i}]`));
    }
    INTERNATIONAL_LINES.helplines.forEach((helpline, i) => expectWellFormed(helpline, `international[${i}]`));
  });

  it('answers a country by its code in any case, and the international list otherwise', () => {
    const de = service.forCountry('DE');
    expect(de).toMatchObject({ country: 'DE', emergency_number: '112' });
    expect(de.helplines.map((h) => h.phone)).toEqual(expect.arrayContaining(['0800 111 0 111', '0800 111 0 222']));
    expect(service.forCountry('us').country).toBe('US');
    for (const unknown of [null, 'AQ', 'ZZ', '__proto__', 'constructor', '']) {
      const fallback = service.forCountry(unknown);
      expect(fallback.country).toBeNull();
      expect(fallback.helplines.some((h) => h.url === 'https://findahelpline.com')).toBe(true);
    }
  });

  it('hands out copies: a caller changing its answer does not change the table', () => {
    const first = service.forCountry('GB');
    first.helplines[0].languages.push('xx');
    first.helplines.pop();
    expect(service.forCountry('GB')).toEqual({ country: 'GB', emergency_number: '999', helplines: CRISIS_LINES.find((e) => e.country === 'GB')?.helplines });
  });
});
