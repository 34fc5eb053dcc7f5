/** The care-team module's public vocabulary: what a client may share with a therapist. */
export enum CareScope {
  Mood = 'mood',
  Goals = 'goals',
  Screeners = 'screeners',
  Alarms = 'alarms',
}

export const CARE_SCOPES = Object.values(CareScope);
