import { AppException, notAcceptedField } from 'src/common/errors/app.exception';

/** Deeper than any DTO Haven accepts; deeper input is refused before class-transformer recurses into it. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Keys that reach an object's prototype when assigned (class-transformer, `Object.assign`
 * and `obj[key] = …` all assign). No DTO has such a field, so they are refused outright.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface UnsafeInput {
  /** Where in the input, as `field.sub[2]` (empty for the input as a whole). */
  path: string;
  message: string;
}

const join = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

/**
 * The first thing in a request value (body, query, params, socket payload) that no
 * validation rule should ever see: nesting deeper than MAX_INPUT_DEPTH, a NUL character
 * in a string or key (PostgreSQL text cannot hold it), or a prototype key. Iterative, so
 * hostile nesting cannot overflow the stack here either.
 */
export function findUnsafeInput(value: unknown, maxDepth = MAX_INPUT_DEPTH): UnsafeInput | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (item.value.includes('\u0000')) return { path: item.path, message: `${item.path || 'value'} must not contain NUL characters` };
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= maxDepth) {
      // Named by its top-level field: the full path of a hostile nesting would be as long as the nesting.
      const field = /^[^.[]*/.exec(item.path)?.[0] ?? '';
      return { path: field, message: `${field || 'the input'} is nested too deeply (at most ${maxDepth} levels)` };
    }
    if (Array.isArray(item.value)) {
      item.value.forEach((element, index) => stack.push({ value: element, path: `${item.path}[${index}]`, depth: item.depth + 1 }));
      continue;
    }
    for (const key of Object.keys(item.value)) {
      const path = join(item.path, key.replace(/\u0000/g, '\\0'));
      if (PROTOTYPE_KEYS.has(key)) return { path, message: notAcceptedField(path) };
      if (key.includes('\u0000')) return { path, message: 'field names must not contain NUL characters' };
      stack.push({ value: (item.value as Record<string, unknown>)[key], path, depth: item.depth + 1 });
    }
  }
  return null;
}

/** Throws the 400 for `findUnsafeInput`'s finding, naming the field. */
export function assertSafeInput(value: unknown, prefix = ''): void {
  const unsafe = findUnsafeInput(value);
  if (unsafe) {
    const field = [prefix, unsafe.path].filter(Boolean).join('.') || 'non_field_errors';
    throw AppException.validation(field, unsafe.message);
  }
}
