import type { UserLanguage } from 'src/modules/users/users.types';

/** One message of the prompt, as chat-completions APIs take it. */
export interface ModelTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What a reply is made from. */
export interface ModelRequest {
  /** Guardrails, the rolling summary and the memory window, oldest first, ending with the user's message. */
  messages: ModelTurn[];
  /** The user's message (the offline responder answers it alone). */
  text: string;
  language: UserLanguage;
  /** Chooses the offline responder's templates: stable for a turn, different for the next. */
  seed: number;
  /** The crisis detector flagged the message (the crisis resources are already shown first). */
  crisis: boolean;
}

/** The model could not answer (network, timeout, HTTP status, empty reply); the caller falls back. */
export class ModelUnavailableError extends Error {
  constructor(
    reason: string,
    readonly retryable: boolean,
  ) {
    super(reason);
  }
}

/**
 * The companion's provider port: streams the pieces of a reply, in order. Adapters: an
 * OpenAI-compatible HTTP API (OpenAiCompatibleModel) and the built-in OfflineResponder.
 */
export abstract class CompanionModel {
  /** `model` or `offline`: what a reply that this adapter wrote is stored as. */
  abstract readonly source: 'model' | 'offline';

  /** The reply's pieces; throws ModelUnavailableError when the reply cannot be had. */
  abstract stream(request: ModelRequest): AsyncIterable<string>;
}
