/**
 * A safety plan's sections, after the Stanley–Brown Safety Planning Intervention: what
 * the person notices, what they can do alone, where and with whom they can take their
 * mind off it, whom they can ask for help, which professionals to call, how to make their
 * surroundings safe, and what they live for.
 */
export interface SafetyPlanSections {
  warning_signs: string[];
  internal_coping_strategies: string[];
  distraction_people_and_places: string[];
  people_to_ask_for_help: Array<{ name: string; phone: string | null }>;
  professionals_and_agencies: Array<{ name: string; phone: string | null }>;
  making_environment_safe: string[];
  reasons_for_living: string[];
}

/** The current version of a user's plan, decrypted, as the owner (and their care team) see it. */
export interface SafetyPlanView extends SafetyPlanSections {
  user_id: string;
  version: number;
  updated_by: string;
  updated_at: string;
}

/** The plan's sections, in the Stanley–Brown order. */
export const SAFETY_PLAN_SECTIONS = [
  'warning_signs',
  'internal_coping_strategies',
  'distraction_people_and_places',
  'people_to_ask_for_help',
  'professionals_and_agencies',
  'making_environment_safe',
  'reasons_for_living',
] as const satisfies ReadonlyArray<keyof SafetyPlanSections>;

/** Caps per section: a plan is read in a crisis, so it stays short. */
export const SAFETY_PLAN_MAX_ITEMS = 20;
export const SAFETY_PLAN_ITEM_MAX_LENGTH = 500;
export const SAFETY_PLAN_NAME_MAX_LENGTH = 100;
export const SAFETY_PLAN_PHONE_MAX_LENGTH = 40;
