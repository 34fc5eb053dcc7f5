import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version in Haven's package.json, found by walking up from this file (works from src/ and dist/). */
export function readPackageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'haven' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}
