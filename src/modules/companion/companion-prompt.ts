import type { UserLanguage } from 'src/modules/users/users.types';
import type { CompanionSender } from './companion.types';
import type { ModelTurn } from './model/companion-model';

/** The most characters one summary point keeps of a message. */
const POINT_MAX_LENGTH = 160;
/** The most characters the rolling summary keeps (its newest points). */
export const SUMMARY_MAX_LENGTH = 1200;
export const SUMMARY_HEADING = 'Summary of the earlier conversation (what the user said, condensed):';

const GUARDRAILS = [
  'You are Haven Companion, a supportive AI companion inside a mental-health app.',
  'Listen warmly and reflect what the user feels; keep replies short (under 150 words), plain and kind.',
  'You are not a clinician and never claim to be human: if asked, say you are an AI companion.',
  'Never diagnose, never give medication, dosage or treatment advice; suggest talking to a doctor or therapist for those.',
  'Offer simple evidence-informed self-help when it fits: grounding (5-4-3-2-1), paced or box breathing, gentle reframing of a thought.',
  'Encourage the user to reach people they trust and professional help.',
  'If the user may be in danger or thinking of harming themselves, urge them to contact local emergency services or a crisis line now.',
].join(' ');

const CRISIS_NOTE =
  'The user\'s last message suggests a crisis. Crisis helplines and their safety plan have already been shown to them above your reply. ' +
  'Reply briefly and warmly, encourage them to contact one of those lines or a person nearby now, and ask whether they are safe.';

const LANGUAGE_NOTE: Record<UserLanguage, string> = { en: 'Reply in English.', ru: 'Reply in Russian.' };

/** A stored message as the prompt needs it (decrypted). */
export interface PromptMessage {
  sender: CompanionSender;
  text: string;
}

/** The prompt: guardrails, the rolling summary (if any), then the memory window oldest first. */
export function buildPrompt(window: PromptMessage[], summary: string | null, language: UserLanguage, crisis: boolean): ModelTurn[] {
  const system = [GUARDRAILS, LANGUAGE_NOTE[language === 'ru' ? 'ru' : 'en'], ...(crisis ? [CRISIS_NOTE] : [])].join('\n\n');
  const turns: ModelTurn[] = [{ role: 'system', content: system }];
  if (summary) turns.push({ role: 'system', content: `${SUMMARY_HEADING}\n${summary}` });
  for (const message of window) turns.push({ role: message.sender === 'user' ? 'user' : message.sender === 'assistant' ? 'assistant' : 'system', content: message.text });
  return turns;
}

/** The first sentence of a text, on one line, at most POINT_MAX_LENGTH characters. */
export function firstSentence(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const match = /^.+?[.!?…](?=\s|$)/u.exec(line);
  const sentence = match ? match[0] : line;
  return sentence.length > POINT_MAX_LENGTH ? `${sentence.slice(0, POINT_MAX_LENGTH - 1).trimEnd()}…` : sentence;
}

/**
 * Folds messages leaving the memory window into the rolling summary, without a model: the
 * first sentence of each of the user's messages becomes a point; the newest points are
 * kept within SUMMARY_MAX_LENGTH characters.
 */
export function foldSummary(previous: string | null, leaving: PromptMessage[]): string | null {
  const points = [...(previous ? previous.split('\n') : []), ...leaving.filter((m) => m.sender === 'user').map((m) => `- ${firstSentence(m.text)}`)];
  const kept: string[] = [];
  let length = 0;
  for (let i = points.length - 1; i >= 0; i--) {
    length += points[i].length + 1;
    if (length > SUMMARY_MAX_LENGTH) break;
    kept.unshift(points[i]);
  }
  return kept.length > 0 ? kept.join('\n') : previous;
}
