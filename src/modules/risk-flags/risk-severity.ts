import { CRISIS_CATEGORIES, type CrisisCategory } from 'src/modules/safety/safety.types';
import { RISK_SEVERITIES, type RiskSeverity } from './risk-flags.types';

/** How urgent each category is: danger now and overdoses are critical; ideation and threats high; self-harm moderate. */
const CATEGORY_RANK: ReadonlyMap<CrisisCategory, number> = new Map<CrisisCategory, number>([
  ['immediate_danger', 3],
  ['overdose', 3],
  ['suicidal_ideation', 2],
  ['harm_to_others', 2],
  ['self_harm', 1],
]);

/** The rank (1–3) of the most urgent category found; 1 when none is known. */
export const severityRankOf = (categories: readonly CrisisCategory[]): number => Math.max(1, ...categories.map((c) => CATEGORY_RANK.get(c) ?? 1));

export const severityOf = (rank: number): RiskSeverity => RISK_SEVERITIES[Math.min(Math.max(rank, 1), RISK_SEVERITIES.length) - 1];

export const rankOf = (severity: RiskSeverity): number => RISK_SEVERITIES.indexOf(severity) + 1;

/** Both lists' categories, most urgent first (the detector's order breaks ties). */
export const mergeCategories = (held: readonly CrisisCategory[], found: readonly CrisisCategory[]): CrisisCategory[] => {
  const all = new Set([...held, ...found]);
  return CRISIS_CATEGORIES.filter((c) => all.has(c)).sort((a, b) => (CATEGORY_RANK.get(b) ?? 0) - (CATEGORY_RANK.get(a) ?? 0));
};
