import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { COMMON_ERRORS, ErrorCodes } from './error-codes';
// Every feature's codes, as the app loads them.
import 'src/modules';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The code prefix a module owns: its name, except where the module is named for what it serves. */
const PREFIX_OF = new Map([
  ['health', 'METRICS'],
  ['care-team', 'CARE'],
  ['group-events', 'EVENTS'],
  ['session-reminders', 'REMINDERS'],
  ['safety-plans', 'SAFETYPLANS'],
  ['risk-flags', 'RISK'],
]);
const prefixOf = (module: string): string => PREFIX_OF.get(module) ?? module.toUpperCase();

/** Prefixes of Haven's codes (other `'X.Y'` strings, e.g. in SQL, are not codes). */
const OWNED = /^(COMMON|AUTH|USERS|ADMIN|CHAT|GROUPS|NOTIFICATIONS|METRICS|SUPPORT|CARE|MOOD|GOALS|SCREENERS|PTSD|ALARMS|PROVIDERS|SESSIONS|PAYMENTS|EVENTS|SAFETY|REMINDERS|FEEDBACK|MATCHING|SAFETYPLANS|RISK|COMPANION|PRIVACY|TICKETS)\./;

/** `'FEATURE.REASON'` literals in a file, outside its errors file. */
const codesIn = (text: string): string[] => [...text.matchAll(/'([A-Z]+\.[A-Z0-9_]+)'/g)].map((m) => m[1]);

describe('error codes', () => {
  const modulesDir = join(root, 'modules');
  const modules = readdirSync(modulesDir).filter((name) => statSync(join(modulesDir, name)).isDirectory());
  const shared = new Set(Object.keys(COMMON_ERRORS));
  const registered = new Set(Object.keys(ErrorCodes));

  it('each feature defines its own codes, with its own prefix, in its errors file', () => {
    for (const module of modules) {
      const file = join(modulesDir, module, `${module}.errors.ts`);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // a feature without codes of its own
      }
      for (const code of codesIn(text)) expect([module, code.startsWith(`${prefixOf(module)}.`)]).toEqual([module, true]);
    }
  });

  it('every code a feature names is registered, and it throws only its own codes and the shared ones', () => {
    for (const module of modules) {
      for (const file of sources(join(modulesDir, module))) {
        if (file.endsWith('.errors.ts')) continue;
        const where = relative(root, file);
        const text = readFileSync(file, 'utf8');
        // Documented codes (@ApiError) may be those of the services a feature calls; all must exist.
        for (const code of codesIn(text).filter((c) => OWNED.test(c))) expect([where, code, registered.has(code)]).toEqual([where, code, true]);
        for (const line of text.split('\n').filter((l) => l.includes('new AppException('))) {
          for (const code of codesIn(line)) expect([where, code, shared.has(code) || code.startsWith(`${prefixOf(module)}.`)]).toEqual([where, code, true]);
        }
      }
    }
  });

  it('every code is used somewhere outside the tables (unused codes are removed)', () => {
    const everything = sources(root)
      .filter((file) => !file.endsWith('.errors.ts') && !file.endsWith('error-codes.ts'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    for (const code of registered) expect([code, everything.includes(`'${code}'`)]).toEqual([code, true]);
  });
});
