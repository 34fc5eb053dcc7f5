import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLIENT_EVENTS } from 'src/modules/chat/chat.gateway';

const document = parse(readFileSync(join(__dirname, '..', 'openapi', 'asyncapi.yaml'), 'utf8')) as {
  asyncapi: string;
  channels: Record<string, { publish?: unknown; subscribe?: unknown }>;
};

/** Events the gateway binds on each socket. */
function handledEvents(): string[] {
  return [...CLIENT_EVENTS];
}

/** Events the server emits, found in the sources (emit('…') and realtime.to…(…, '…')). */
function emittedEvents(): string[] {
  const files = ['src/modules/chat/chat.gateway.ts', 'src/modules/chat/messages.service.ts', 'src/modules/chat/conversations.service.ts',
    'src/modules/chat/rooms.service.ts', 'src/infrastructure/realtime/realtime.server.ts', 'src/modules/notifications/notifications.service.ts'];
  const events = new Set<string>();
  for (const file of files) {
    const source = readFileSync(join(__dirname, '..', file), 'utf8');
    for (const match of source.matchAll(/\.emit\('([a-z_]+)'|\.to(?:Chat|Users|Staff)\([^)]*?'([a-z_]+)'/g)) events.add(match[1] ?? match[2]);
  }
  // Receipts are emitted with the receipt kind as the event name: toChat(conversationId, kind, …).
  events.add('read');
  events.add('delivered');
  return [...events].sort();
}

describe('AsyncAPI document (openapi/asyncapi.yaml)', () => {
  it('is an AsyncAPI 2.x document', () => {
    expect(document.asyncapi).toMatch(/^2\./);
  });

  it('documents every event the gateway handles as a publish operation', () => {
    const events = handledEvents();
    expect(events.sort()).toEqual(['chat_message', 'delivered', 'join', 'leave', 'message', 'reaction', 'read', 'typing']);
    for (const event of events) expect([event, Boolean(document.channels[event]?.publish)]).toEqual([event, true]);
  });

  it('documents every event the server emits as a subscribe operation', () => {
    for (const event of emittedEvents()) expect([event, Boolean(document.channels[event]?.subscribe)]).toEqual([event, true]);
  });
});
