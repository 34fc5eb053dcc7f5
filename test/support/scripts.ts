import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

/**
 * Compiles src/, migrations/ and scripts/ with swc into a private folder under
 * node_modules/.cache (so `require` still finds the project's packages), leaving the
 * shared dist/ alone: other test files and builds may use it at the same time.
 */
export function buildScripts(): { dir: string; script: (name: string) => string; remove: () => void } {
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'haven-e2e-build-'));
  const swc = require.resolve('@swc/cli/bin/swc.js');
  const result = spawnSync(
    process.execPath,
    [swc, 'src', 'migrations', 'scripts', '-d', dir, '--config-file', '.swcrc', '--only', '**/*.ts', '--ignore', '**/*.spec.ts', '--quiet'],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`swc build failed: ${result.stderr}`);
  return {
    dir,
    script: (name) => join(dir, 'scripts', `${name}.js`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a compiled script with exactly the given environment (plus PATH) and standard input. */
export function runScript(file: string, args: string[], options: { env: Record<string, string>; stdin?: string; timeoutMs?: number }): Promise<ScriptResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
