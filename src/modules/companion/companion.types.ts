/**
 * Who wrote a companion message. The PTSD app's ChatMessage says `user | gpt | system`:
 * its `gpt` is `assistant` here (the reply, from the model or the offline responder);
 * `system` is a message Haven itself writes (the crisis resources when the daily quota is used up).
 */
export const COMPANION_SENDERS = ['user', 'assistant', 'system'] as const;
export type CompanionSender = (typeof COMPANION_SENDERS)[number];

/**
 * What wrote a reply: `model` the configured OpenAI-compatible model, `offline` the built-in
 * responder (no model configured, or a crisis over the quota), `offline_fallback` the
 * responder after the model failed or timed out.
 */
export const REPLY_SOURCES = ['model', 'offline', 'offline_fallback'] as const;
export type ReplySource = (typeof REPLY_SOURCES)[number];
