import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The API's Node flags (a larger young generation, no allocation-site pretenuring: README,
 * "Read path") are written in `npm run start:prod` and in the Docker image's CMD; the
 * benches read them from the former. The two must not drift apart.
 */
describe('production start', () => {
  const root = join(__dirname, '..');
  const startProd = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod'];
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, 'docker/Dockerfile'), 'utf8'))?.[1];

  it('starts the API the same way in the Docker image as with npm run start:prod', () => {
    expect(startProd.split(/\s+/)).toEqual(['node', '--max-semi-space-size=64', '--no-allocation-site-pretenuring', 'dist/src/main.js']);
    expect(JSON.parse(cmd!)).toEqual(startProd.split(/\s+/));
  });
});
