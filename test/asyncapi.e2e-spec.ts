import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { serverEvents } from 'src/infrastructure/realtime/server-events';
// Loads every feature, so each declares its events.
import 'src/modules';
import { ClientEvents } from 'src/modules/chat/client-events';
import { startTestApp, TestApp } from './support/test-app';

const document = parse(readFileSync(join(__dirname, '..', 'openapi', 'asyncapi.yaml'), 'utf8')) as {
  asyncapi: string;
  channels: Record<string, { publish?: unknown; subscribe?: unknown }>;
};


/** Events the server emits: the typed server event map, as every feature declares it. */
function emittedEvents(): string[] {
  return serverEvents();
}

describe('AsyncAPI document (openapi/asyncapi.yaml)', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api?.close());

  /** Events the gateway binds on each socket: every feature's, as registered in the running app. */
  const handledEvents = (): string[] => api.resolve(ClientEvents).names();
  it('is an AsyncAPI 2.x document', () => {
    expect(document.asyncapi).toMatch(/^2\./);
  });

  it('documents every event the gateway handles as a publish operation, and no other', () => {
    const events = handledEvents();
    expect(events).toEqual(expect.arrayContaining(['chat_message', 'delivered', 'join', 'leave', 'message', 'reaction', 'read', 'typing']));
    const published = Object.entries(document.channels)
      .filter(([, channel]) => channel.publish)
      .map(([event]) => event)
      .sort();
    expect(published).toEqual(events);
  });

  it('documents every event the server emits as a subscribe operation, and no other', () => {
    const subscribed = Object.entries(document.channels)
      .filter(([, channel]) => channel.subscribe)
      .map(([event]) => event)
      .sort();
    expect(subscribed).toEqual(emittedEvents());
    for (const event of emittedEvents()) expect([event, Boolean(document.channels[event]?.subscribe)]).toEqual([event, true]);
  });
});
