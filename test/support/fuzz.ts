/**
 * Building blocks of the schema-driven fuzz test: a seeded random source, hostile values,
 * schema-shaped samples and their mutations, and the checks every answer must pass.
 * Everything random comes from one seed, so a failure can be replayed (FUZZ_SEED).
 */

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  example?: unknown;
  nullable?: boolean;
};

/** mulberry32: small, fast, good enough to pick test inputs, and the same sequence for the same seed. */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Strings an attacker or a broken client sends. None of them matches a leak pattern below. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'nul\u0000inside',
  '%00',
  '__proto__',
  '-__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  "' OR '1'='1",
  "1'; DROP TABLE users; --",
  '$1',
  '\\',
  '%',
  '_',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '😀'.repeat(40),
  'e\u0301\u202e\u200b\ufeff',
  'Ünïcödé Привет 你好 مرحبا',
  '\ud800',
  'x'.repeat(5_000),
  'y'.repeat(70_000),
  '-1',
  '0',
  '1e309',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '2026-13-45T99:99:99Z',
  'a@b',
  '\r\nX-Injected: 1',
];

/** Arrays and objects nested `depth` levels deep (kept under what JSON.stringify can recurse through). */
export function nested(depth: number): unknown {
  let value: unknown = 'core';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { n: value };
  return value;
}

/** JSON text nested `depth` levels deep, built as text: deeper than any JSON.stringify could write. */
export function nestedText(depth: number): string {
  const half = Math.floor(depth / 2);
  return `${'{"n":['.repeat(half)}"core"${']}'.repeat(half)}`;
}

/** A hostile value of any JSON type. */
export function hostileValue(rng: Rng): unknown {
  switch (rng.int(8)) {
    case 0:
      return null;
    case 1:
      return rng.pick([true, false, 0, -1, 1.5, -0.5, 1e308, -1e308, 2 ** 53 + 1, 2 ** 31]);
    case 2:
      return rng.pick([[], [1, 'a', null], {}, { a: 1 }, [[[[]]]]]);
    case 3:
      return nested(rng.pick([40, 200, 1_000]));
    case 4:
      return Array.from({ length: rng.pick([50, 5_000]) }, (_, i) => `item-${i}`);
    default:
      return rng.pick(HOSTILE_STRINGS);
  }
}

/** Resolves `$ref`s (and `allOf`) against an OpenAPI document's components. */
export function resolveSchema(schema: JsonSchema | undefined, components: Record<string, JsonSchema>): JsonSchema {
  let current = schema ?? {};
  for (let guard = 0; current.$ref && guard < 10; guard += 1) {
    const name = current.$ref.split('/').pop()!;
    current = components[name] ?? {};
  }
  if (current.allOf) {
    return current.allOf.reduce<JsonSchema>(
      (merged, part) => {
        const resolved = resolveSchema(part, components);
        return { ...merged, ...resolved, properties: { ...merged.properties, ...resolved.properties }, required: [...(merged.required ?? []), ...(resolved.required ?? [])] };
      },
      { type: 'object' },
    );
  }
  return current;
}

/** A value that plausibly satisfies the schema (so that mutations probe one thing at a time). */
export function sample(schema: JsonSchema, components: Record<string, JsonSchema>, rng: Rng, uuids: readonly string[], depth = 0): unknown {
  const s = resolveSchema(schema, components);
  if (s.enum?.length) return rng.pick(s.enum);
  if (s.example !== undefined && rng.chance(0.5)) return s.example;
  const type: string = (Array.isArray(s.type) ? s.type[0] : s.type) ?? 'object';
  switch (type) {
    case 'string':
      if (s.format === 'uuid') return uuids.length && rng.chance(0.7) ? rng.pick(uuids) : rng.uuid();
      if (s.format === 'email') return `fuzz-${rng.int(1e9)}@example.com`;
      if (s.format === 'date-time') return new Date(Date.now() - rng.int(86_400_000)).toISOString();
      if (s.format === 'binary') return 'file';
      return `fuzz ${rng.int(1e6)}`.slice(0, Math.max(1, s.maxLength ?? 20));
    case 'integer':
      return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 10, 1 + rng.int(5)));
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return rng.chance(0.5);
    case 'array':
      return depth > 4 ? [] : [sample(s.items ?? { type: 'string' }, components, rng, uuids, depth + 1)];
    default: {
      const result: Record<string, unknown> = {};
      if (depth > 4) return result;
      for (const [name, property] of Object.entries(s.properties ?? {})) {
        if (s.required?.includes(name) || rng.chance(0.5)) result[name] = sample(property, components, rng, uuids, depth + 1);
      }
      return result;
    }
  }
}

/** A request body as sent on the wire: its text and content type (or none). */
export interface WireBody {
  text?: string;
  contentType?: string;
  note: string;
}

/**
 * JSON text of an object with an extra own key whose value is given as JSON text
 * (JSON.stringify drops a `__proto__` set by assignment, and cannot write deep nesting).
 */
function withRawKey(body: Record<string, unknown>, key: string, valueText: string): string {
  const rest = JSON.stringify(Object.fromEntries(Object.entries(body).filter(([name]) => name !== key))).slice(1);
  return `{${JSON.stringify(key)}:${valueText}${rest === '}' ? '}' : `,${rest}`}`;
}

/**
 * The body of one fuzzed request, derived from the operation's schema. `maxDepth` bounds
 * the nesting where the sender must serialise the value itself (Socket.IO clients).
 */
export function mutateBody(base: unknown, rng: Rng, maxDepth = 50_000): WireBody {
  const depth = (choices: number[]): number => Math.min(maxDepth, rng.pick(choices));
  const object = base && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
  const fields = Object.keys(object);
  const json = (value: unknown, note: string): WireBody => ({ text: JSON.stringify(value), contentType: 'application/json', note });
  switch (rng.int(14)) {
    case 0:
    case 1:
    case 2: {
      const field = fields.length && rng.chance(0.8) ? rng.pick(fields) : rng.pick(['unknown_field', 'role', 'is_verified', 'id']);
      const value = hostileValue(rng);
      return json({ ...object, [field]: value }, `field ${field} = hostile`);
    }
    case 3: {
      const field = fields.length ? rng.pick(fields) : 'value';
      return json({ ...object, [field]: null }, `field ${field} = null`);
    }
    case 4: {
      const key = rng.pick(PROTOTYPE_KEYS);
      return { text: withRawKey(object, key, '{"polluted":"yes","prototype":{"polluted":"yes"}}'), contentType: 'application/json', note: `key ${key}` };
    }
    case 5: {
      const field = fields.length ? rng.pick(fields) : 'value';
      return {
        text: withRawKey(object, field, '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'),
        contentType: 'application/json',
        note: `nested prototype keys in ${field}`,
      };
    }
    case 6:
      return json(rng.pick([[object], 'text', 42, null, true, []]), 'body of the wrong type');
    case 7: {
      const field = fields.length ? rng.pick(fields) : 'value';
      return { text: withRawKey(object, field, nestedText(depth([34, 1_500, 5_000, 50_000]))), contentType: 'application/json', note: `field ${field} nested deeply` };
    }
    case 8:
      return { text: nestedText(depth([100, 2_000, 20_000])), contentType: 'application/json', note: 'whole body nested deeply' };
    case 9:
      return {
        text: rng.pick(['{', '{"a":', 'nul\u0000', '{"a":1}}', "{'a':1}", '\ufeff{}', '']),
        contentType: 'application/json',
        note: 'malformed JSON',
      };
    case 10:
      return {
        text: rng.pick(['a=1&b=2', 'plain text', '<xml/>', JSON.stringify(object)]),
        contentType: rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/json; charset=latin1', 'application/octet-stream']),
        note: 'another content type',
      };
    case 11:
      return {
        text: '--fuzz\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.txt"\r\nContent-Type: text/plain\r\n\r\nhello',
        contentType: 'multipart/form-data; boundary=fuzz',
        note: 'truncated multipart',
      };
    case 12: {
      const field = fields.length ? rng.pick(fields) : 'value';
      const copy = { ...object };
      delete copy[field];
      return json(copy, `without ${field}`);
    }
    default:
      return json(object, 'plausible body');
  }
}

/** A query value for a parameter: usually hostile, sometimes plausible. */
export function queryValue(schema: JsonSchema, components: Record<string, JsonSchema>, rng: Rng, uuids: readonly string[]): string {
  if (rng.chance(0.35)) return String(sample(schema, components, rng, uuids));
  const value = hostileValue(rng);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What must never be in an answer: stack frames, file paths, SQL, driver errors. */
const LEAKS: Array<[string, RegExp]> = [
  ['stack frame', /\n\s+at [\w$.<>[\] ]+ \(|\bat (?:async )?[\w$.]+ \((?:\/|node:)/],
  ['file path', /(?:\/work\/|\/home\/|\/usr\/|node_modules|\bsrc\/[\w/-]+\.[jt]s\b|\.ts:\d+)/],
  ['SQL', /\bSELECT\b[\s\S]{1,200}\bFROM\b|\bINSERT INTO\b|\bUPDATE\s+"?\w+"?\s+SET\b|\bsyntax error at or near\b|\bviolates (?:unique|not-null|foreign key|check) constraint\b/i],
  ['driver error', /QueryFailedError|TypeORMError|EntityNotFound|ECONNREFUSED|DatabaseError/],
];

export function findLeak(text: string): string | null {
  for (const [kind, pattern] of LEAKS) {
    const match = pattern.exec(text);
    if (match) return `${kind}: ${JSON.stringify(match[0].slice(0, 80))}`;
  }
  return null;
}

/** The own properties of Object.prototype now, to compare against the start. */
export const prototypeSnapshot = (): string => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
