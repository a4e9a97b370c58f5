import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const MAIN = 'dist/cli/main.js';

describe('karoo start (npm start)', () => {
  it('runs pool, proxy and a mixed rack without a TTY, reports accepted shares, and ends with exit 0 after --duration', async () => {
    expect(existsSync(MAIN), 'npm test builds dist/ first').toBe(true);
    const child = spawn(
      process.execPath,
      [
        MAIN,
        'start',
        '--duration',
        '10',
        '--interval',
        '3',
        '--pool-port',
        '0',
        '--proxy-port',
        '0',
        '--http-port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, err).toBe(0);
    expect(out).toMatch(
      /^karoo bench: pool stratum\+tcp:\/\/127\.0\.0\.1:\d+, proxy stratum\+tcp:\/\/127\.0\.0\.1:\d+/,
    );
    const reports = [...out.matchAll(/pool accepted (\d+), rejected (\d+)/g)];
    expect(reports.length).toBeGreaterThanOrEqual(2);
    const last = reports[reports.length - 1] as RegExpMatchArray;
    expect(Number(last[1])).toBeGreaterThan(0);
    expect(Number(last[2])).toBe(0);
    for (const worker of ['karoo.nerd-08', 'karoo.bitaxe-01', 'karoo.cpu-02', 'karoo.gpu-01'])
      expect(out).toContain(worker);
  }, 60_000);

  it('refuses a bad --duration with one line and exit code 2', async () => {
    const child = spawn(process.execPath, [MAIN, 'start', '--duration', 'soon'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('--duration');
  });
});
