/** The goals module's public vocabulary. */
export enum GoalStatus {
  Active = 'active',
  Completed = 'completed',
}

export const GOAL_TITLE_MAX_LENGTH = 200;
export const GOAL_DESCRIPTION_MAX_LENGTH = 2000;
export const PROGRESS_CONTENT_MAX_LENGTH = 2000;
export const MOOD_RATING_MIN = 1;
export const MOOD_RATING_MAX = 10;
