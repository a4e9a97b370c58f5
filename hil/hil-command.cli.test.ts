import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../cli/usage-error.js';
import { hilOptionsFromFlags } from './hil-command.js';
import type { HilFlags } from './hil-command.js';
import { findElements, parseXml } from '../regression/test-support/xml-check.js';
import { SCENARIOS } from './scenarios/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'dist/cli/main.js');

const flags = (over: Partial<HilFlags> = {}): HilFlags => ({
  port: [],
  worker: [],
  scenario: [],
  reset: true,
  ...over,
});

describe('hilOptionsFromFlags', () => {
  it('turns flags into options', () => {
    expect(
      hilOptionsFromFlags(
        flags({
          virtual: '2',
          worker: ['bc1qa.one'],
          scenario: ['shares-accepted,hashrate-band', 'soak'],
          difficulty: '3e-5',
          hashrate: '80000',
          hashrateBand: '2:150',
          bootTimeout: '30',
          soak: '60',
          junit: 'out.xml',
          json: 'out.json',
          direct: true,
          listen: '127.0.0.1:0',
        }),
      ),
    ).toEqual({
      reset: true,
      virtual: 2,
      workers: ['bc1qa.one'],
      scenarios: ['shares-accepted', 'hashrate-band', 'soak'],
      difficulty: 3e-5,
      virtualHashrate: 80000,
      hashrateBandKhs: [2, 150],
      bootTimeoutMs: 30_000,
      soakMs: 60_000,
      junit: 'out.xml',
      json: 'out.json',
      direct: true,
      listen: '127.0.0.1:0',
    });
  });

  it('takes the proxy token from KAROO_HTTP_TOKEN unless given', () => {
    const proxy = { proxy: 'http://10.0.0.2:8080', port: ['/dev/ttyACM0'] };
    expect(hilOptionsFromFlags(flags(proxy), { KAROO_HTTP_TOKEN: 'env-token' })).toMatchObject({
      proxyUrl: 'http://10.0.0.2:8080',
      proxyToken: 'env-token',
      ports: ['/dev/ttyACM0'],
    });
    expect(
      hilOptionsFromFlags(flags({ ...proxy, proxyToken: 'flag' }), { KAROO_HTTP_TOKEN: 'env' }),
    ).toMatchObject({
      proxyToken: 'flag',
    });
  });

  it.each<[string, Partial<HilFlags>, RegExp]>([
    ['--virtual 0', { virtual: '0' }, /--virtual: expected a number of boards from 1 to 16/],
    ['--virtual x', { virtual: 'x' }, /--virtual/],
    ['--virtual with --port', { virtual: '1', port: ['/dev/ttyUSB0'] }, /cannot be mixed/],
    ['--virtual with --no-reset', { virtual: '1', reset: false }, /--no-reset is for real boards/],
    ['an unknown scenario', { scenario: ['boots'] }, /--scenario: unknown scenario "boots"/],
    ['--proxy that is not a URL', { proxy: '10.0.0.2:8080' }, /--proxy: expected http:\/\/HOST:PORT/],
    ['--proxy with --direct', { proxy: 'http://h:1', direct: true }, /--proxy and --direct/],
    ['--proxy with --difficulty', { proxy: 'http://h:1', difficulty: '1' }, /not one given with --proxy/],
    ['--stratum without --proxy', { stratum: 'stratum+tcp://h:3334' }, /go with --proxy/],
    ['a bad --stratum', { proxy: 'http://h:1', stratum: 'tcp://h:3334' }, /--stratum: expected stratum\+tcp/],
    ['a bad --listen', { listen: '3334' }, /--listen: expected HOST:PORT/],
    ['--difficulty 0', { difficulty: '0' }, /--difficulty: expected a number above 0/],
    ['--hashrate on real boards', { hashrate: '1000' }, /--hashrate is for virtual boards/],
    ['a reversed --hashrate-band', { hashrateBand: '100:10' }, /--hashrate-band: expected MIN:MAX/],
    ['a worker with a space', { worker: ['a b'] }, /--worker/],
  ])('refuses %s', (_name, over, message) => {
    expect(() => hilOptionsFromFlags(flags(over))).toThrow(UsageError);
    expect(() => hilOptionsFromFlags(flags(over))).toThrow(message);
  });
});

describe('karoo hil (built CLI)', () => {
  let dir: string;

  /** True when dist is missing or older than the sources the command runs. */

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'karoo-hil-cli-'));
  });

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  function karoo(...args: string[]) {
    const r = spawnSync(process.execPath, [MAIN, 'hil', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('--list names every scenario', () => {
    const r = karoo('--list');
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(SCENARIOS.map((s) => s.name));
    expect(r.stdout).toMatch(/^soak\s+long soak \(optional\)$/m);
  });

  it('a bad flag is one line on stderr and exit 2', () => {
    const r = karoo('--virtual', '2', '--scenario', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^karoo: --scenario: unknown scenario "nope" \(known: boots-and-connects, /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--virtual 2 --junit passes every scenario and writes a JUnit file that parses', () => {
    const junit = join(dir, 'out.xml');
    const json = join(dir, 'out.json');
    const r = karoo('--virtual', '2', '--junit', junit, '--json', json);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const defaults = SCENARIOS.filter((s) => s.optional !== true).map((s) => s.name);
    for (const board of ['virtual-1', 'virtual-2']) {
      for (const s of defaults) expect(r.stdout).toMatch(new RegExp(`^PASS  ${board}  ${s} `, 'm'));
    }
    expect(r.stdout).toMatch(/^karoo hil: 14 passed, 0 failed, 0 skipped of 14 in /m);

    const root = parseXml(readFileSync(junit, 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '14', failures: '0', errors: '0', skipped: '0' });
    expect(findElements(root, 'testsuite')).toHaveLength(2);
    expect(findElements(root, 'testcase')).toHaveLength(14);
    expect(findElements(root, 'failure')).toHaveLength(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { totals: unknown; bench: { kind: string } };
    expect(report.totals).toEqual({ tests: 14, passed: 14, failed: 0, skipped: 0 });
    expect(report.bench.kind).toBe('proxy');
  }, 150_000);
});
