import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { satisfies } from 'semver';

/**
 * `npm install` on the Node versions package.json's `engines` declares prints no engine
 * warnings: every package the lockfile installs on this platform accepts the oldest Node
 * we support and the one running the tests.
 */
describe('dependency engines', () => {
  const root = join(__dirname, '..');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; engines?: { node?: string } | string[]; os?: string[]; cpu?: string[] }>;
  };
  const oldest = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(manifest.engines.node)?.[1];
  const matches = (allowed: string[] | undefined, actual: string): boolean =>
    !allowed || allowed.some((entry) => (entry.startsWith('!') ? entry.slice(1) !== actual : entry === actual));

  it('declares the oldest supported Node as a plain lower bound', () => {
    expect(oldest).toMatch(/^20\.\d+/);
  });

  it.each([
    ['the oldest supported Node', () => `${oldest}${oldest!.split('.').length === 2 ? '.0' : ''}`],
    ['the Node running the tests', () => process.version],
  ])('every installed package accepts %s', (_label, version) => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      // Platform binaries npm skips elsewhere do not warn.
      .filter(([, entry]) => matches(entry.os, process.platform) && matches(entry.cpu, process.arch))
      .flatMap(([path, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range && !satisfies(version(), range, { includePrerelease: true }) ? [`${path}@${entry.version} needs node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
