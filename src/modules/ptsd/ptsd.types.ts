/**
 * The ptsd module's public vocabulary: what the alarms module (and later the seed-shaped
 * routes) read about a user's alarm setup. The entity files stay the module's own.
 */

/** The languages an alarm message is written in (and an emergency contact receives). */
export type AlarmLanguage = 'en' | 'ru';

export const ALARM_LANGUAGES: readonly AlarmLanguage[] = ['en', 'ru'];

export interface AlarmPlanContact {
  id: string;
  name: string;
  relationship: string;
  phone: string;
  email: string | null;
  language: AlarmLanguage;
}

export type AlarmPlanTherapist =
  | { kind: 'external'; name: string; email: string; phone: string }
  | { kind: 'platform'; userId: string; name: string }; // name from UserDirectoryService.displayName

export interface AlarmPlanScenario {
  id: string;
  name: string;
  playMusic: boolean;
  notifyContacts: boolean;
  notifyTherapist: boolean;
  messages: { en: string; ru?: string };
}

export interface AlarmPlanTrack {
  id: string;
  name: string;
  url: string;
  durationSeconds: number | null;
}

export interface AlarmPlan {
  /** The user's chosen active scenario, else the default one (null only if the catalogue has no default). */
  scenario: AlarmPlanScenario | null;
  /** The user's chosen active track, else null. */
  track: AlarmPlanTrack | null;
  /** The user's emergency contacts, oldest first. */
  contacts: AlarmPlanContact[];
  /** The user's therapist contact, or null. A platform therapist no longer active/verified -> null. */
  therapist: AlarmPlanTherapist | null;
}

/** Who the user's therapist contact is: someone outside Haven, or a verified Haven therapist. */
export enum TherapistContactKind {
  External = 'external',
  Platform = 'platform',
}

/**
 * The placeholders an alarm scenario's message may contain, replaced by the alarms module
 * when it sends: `{first_name}`, `{last_name}`, `{full_name}` (the user who pressed the alarm).
 */
export const ALARM_MESSAGE_PLACEHOLDERS = ['first_name', 'last_name', 'full_name'] as const;
