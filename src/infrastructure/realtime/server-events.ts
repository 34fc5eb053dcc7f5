/**
 * The events Haven emits to clients over Socket.IO: event name → payload type. Every emit
 * goes through RealtimeServer, whose methods take a name of this map and its payload, so
 * the compiler checks each one. Features add their events the way they add error codes:
 * a `<feature>.events.ts` declares the names at run time (`declareServerEvents`) and
 * merges the payload types into this interface by module augmentation. The AsyncAPI test
 * reads `serverEvents()`, so a new feature's events are checked without edits.
 */
export interface ServerEventMap {
  /** The socket's credential ended (logout, revocation, suspension); it is disconnected next. */
  session_ended: { code: string; message: string };
}

export type ServerEvent = keyof ServerEventMap;

const declared = new Set<string>(['session_ended']);

/** Records a feature's event names; the object must name every event of `Events` (and no other). */
export function declareServerEvents<Events extends object>(names: { [E in keyof Events]: true }): void {
  for (const name of Object.keys(names)) declared.add(name);
}

/** Every declared server event, sorted. */
export function serverEvents(): string[] {
  return [...declared].sort();
}
