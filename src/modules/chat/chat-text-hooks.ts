import { Injectable, Logger } from '@nestjs/common';
import { safeErrorMessage } from 'src/infrastructure/logging/safe-error';
import type { ConversationKind } from './chat.types';

/** A text message just stored in a chat, as features that read what users write (safety) see it. */
export interface WrittenChatMessage {
  messageId: string;
  conversationId: string;
  conversationKind: ConversationKind;
  senderId: string;
  text: string;
}

/** A listener returns a promise only when it has work to wait for (a crisis); most messages cost one synchronous call. */
export type ChatTextListener = (message: WrittenChatMessage) => Promise<void> | void;

/**
 * How a feature above chat hears of each stored text message (the safety module scans it for
 * crisis language) without chat importing it. Listeners run after the send's commit; a
 * listener's failure is logged and never fails the send.
 */
@Injectable()
export class ChatTextHooks {
  private readonly logger = new Logger('ChatTextHooks');
  private readonly listeners: ChatTextListener[] = [];

  listen(listener: ChatTextListener): void {
    this.listeners.push(listener);
  }

  /** Calls every listener; returns a promise only when one of them has asynchronous work. */
  written(message: WrittenChatMessage): Promise<void> | undefined {
    let pending: Array<Promise<void>> | undefined;
    for (const listener of this.listeners) {
      try {
        const result = listener(message);
        if (result) (pending ??= []).push(result.catch((error: unknown) => this.logger.error(`chat text listener failed: ${safeErrorMessage(error)}`)));
      } catch (error) {
        this.logger.error(`chat text listener failed: ${safeErrorMessage(error)}`);
      }
    }
    return pending ? Promise.all(pending).then(() => undefined) : undefined;
  }
}
