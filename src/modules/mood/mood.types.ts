/** The fixed mood vocabulary: what an entry may say, and every key of `mood_counts`. */
export enum Mood {
  Happy = 'happy',
  Calm = 'calm',
  Content = 'content',
  Neutral = 'neutral',
  Tired = 'tired',
  Sad = 'sad',
  Anxious = 'anxious',
  Stressed = 'stressed',
  Angry = 'angry',
  Lonely = 'lonely',
}

/** Every mood, in the documented order. */
export const MOODS: readonly Mood[] = Object.values(Mood);
