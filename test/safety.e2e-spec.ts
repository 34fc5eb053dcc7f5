import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser, TestUser } from './support/users';

const run = promisify(execFile);
const FIXTURES = join(__dirname, 'fixtures', 'safety');
/** What the shipped model reached on each held-out set, less a little: a drop below it is a regression. */
const HELD_OUT_MIN_RECALL = 0.92;

describe('crisis-language assessment', () => {
  let api: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    // The scorer sends hundreds of requests from one user: keep the general tier out of its way.
    api = await startTestApp({ env: { RATE_LIMIT_GENERAL: '100000' } });
    user = await registerUser(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Runs the project's scorer against this app; resolves with its exit code and output. */
  async function score(set: string): Promise<{ code: number; output: string }> {
    const args = [
      join(FIXTURES, 'evaluate.mjs'),
      '--set', join(FIXTURES, set),
      '--url', `${api.url}/api/v1/safety/assess`,
      '--token', user.access,
      '--flag-path', 'data.crisis',
    ];
    try {
      const { stdout } = await run(process.execPath, args, { timeout: 120_000 });
      return { code: 0, output: stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  }

  it('answers the assessment in the envelope', async () => {
    const crisis = await api.post('/api/v1/safety/assess', { text: 'took the whole bottle an hour ago, room is spinning' }, { token: user.access });
    expect(crisis.status).toBe(200);
    expect(crisis.body.data).toEqual({ crisis: true, categories: ['overdose'], confidence: expect.any(Number), language: 'en' });
    expect(crisis.body.data.confidence).toBeGreaterThanOrEqual(0.5);

    const idiom = await api.post('/api/v1/safety/assess', { text: 'умру со смеху 😂' }, { token: user.access });
    expect(idiom.status).toBe(200);
    expect(idiom.body.data).toMatchObject({ crisis: false, categories: [], language: 'ru' });
  });

  it('needs a signed-in user', async () => {
    expect((await api.post('/api/v1/safety/assess', { text: 'hello' })).status).toBe(401);
  });

  it('refuses empty, blank, oversized, missing or non-string text and unknown fields, naming the field', async () => {
    for (const body of [{ text: '' }, { text: '   ' }, { text: 'a'.repeat(5001) }, {}, { text: 42 }, { text: ['a'] }]) {
      const res = await api.post('/api/v1/safety/assess', body, { token: user.access });
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveProperty('text');
    }
    const extra = await api.post('/api/v1/safety/assess', { text: 'hello', note: 'x' }, { token: user.access });
    expect(extra.status).toBe(400);
    expect((await api.post('/api/v1/safety/assess', { text: 'a'.repeat(5000) }, { token: user.access })).status).toBe(200);
  });

  it('meets the bar on the development set (scorer run against this app)', async () => {
    const { code, output } = await score('dev-set.jsonl');
    expect(output).toContain('bar: recall >= 0.95, false-positive rate <= 0.05: PASS');
    expect(code).toBe(0);
  });

  it.each(['haven-heldout-a.jsonl', 'haven-heldout-b.jsonl'])('holds up on %s, a set it was never trained on', async (set) => {
    const { output } = await score(set);
    const summary = /crisis recall ([0-9.]+), benign false-positive rate ([0-9.]+)/.exec(output);
    expect(summary).not.toBeNull();
    const [recall, falsePositives] = [Number(summary?.[1]), Number(summary?.[2])];
    console.log(`${set}: crisis recall ${recall}, benign false-positive rate ${falsePositives}`);
    // Below the bar (0.95) on recall: these guard what was measured (README, "Measuring it").
    expect(recall).toBeGreaterThanOrEqual(HELD_OUT_MIN_RECALL);
    expect(falsePositives).toBeLessThanOrEqual(0.05);
  });

  it("meets the bar on Haven's own extra set", async () => {
    const { code, output } = await score('haven-extra.jsonl');
    expect(output).toContain('PASS');
    expect(code).toBe(0);
  });
});
