import { Injectable } from '@nestjs/common';
import { CRISIS_LINES, CountryCrisisLines, INTERNATIONAL_LINES } from './crisis-resources';
import type { CrisisResources } from './safety.types';

/** Crisis helplines by country, from the documented table (crisis-resources.ts), with an international fallback. */
@Injectable()
export class CrisisResourcesService {
  // A Map: the country comes from a request or a profile, never an object key.
  private readonly byCountry: ReadonlyMap<string, CountryCrisisLines> = new Map(CRISIS_LINES.map((entry) => [entry.country, entry]));

  /** The lines for an ISO 3166-1 alpha-2 code (any case); the international list for null or a country without an entry. */
  forCountry(country: string | null): CrisisResources {
    const entry = country === null ? undefined : this.byCountry.get(country.toUpperCase());
    if (!entry) return { country: null, emergency_number: INTERNATIONAL_LINES.emergency_number, helplines: INTERNATIONAL_LINES.helplines.map((h) => ({ ...h, languages: [...h.languages] })) };
    return { country: entry.country, emergency_number: entry.emergency_number, helplines: entry.helplines.map((h) => ({ ...h, languages: [...h.languages] })) };
  }
}
