/** The matching module's public vocabulary. */

/** Where a match stands: `pending` until its client accepts or declines it. */
export enum MatchStatus {
  Pending = 'pending',
  Accepted = 'accepted',
  Declined = 'declined',
}

export const MATCH_STATUSES: readonly MatchStatus[] = [MatchStatus.Pending, MatchStatus.Accepted, MatchStatus.Declined];

/** Open matches: at most one per client and provider, and the ones whose scores are kept current. */
export const OPEN_MATCH_STATUSES: readonly MatchStatus[] = [MatchStatus.Pending, MatchStatus.Accepted];
