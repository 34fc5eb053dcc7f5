import { createContext, runInContext } from 'node:vm';
import { sealPrototypes } from './prototype-guard';

describe('sealPrototypes', () => {
  it('stops any new property on Object.prototype while ordinary objects keep working', () => {
    const context = createContext({});
    const prototype = runInContext('Object.prototype', context) as object;
    sealPrototypes([prototype]);
    const outcome = runInContext(
      `'use strict';
       let threw = false;
       try { ({}).__proto__.polluted = 'yes'; } catch (e) { threw = e instanceof TypeError; }
       const own = { toString() { return 'own'; } };
       own.constructor = 'replaced';
       ({ threw, polluted: ({}).polluted, own: String(own), constructor: own.constructor });`,
      context,
    ) as Record<string, unknown>;
    expect(outcome).toEqual({ threw: true, polluted: undefined, own: 'own', constructor: 'replaced' });
  });
});
