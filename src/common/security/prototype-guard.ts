/**
 * Defence in depth against prototype pollution: once the app has loaded, nothing may add
 * a property to `Object.prototype` (an `obj.__proto__.x = …` write throws in strict code
 * and is ignored elsewhere). The cause is fixed where input is read (no object is indexed
 * by a request value); this only makes a missed case harmless. Existing members stay
 * writable, so libraries that override `toString` or `constructor` on their own objects
 * keep working (freezing would break them).
 */
export function sealPrototypes(prototypes: object[] = [Object.prototype]): void {
  for (const prototype of prototypes) Object.preventExtensions(prototype);
}
