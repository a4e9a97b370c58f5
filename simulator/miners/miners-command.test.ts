/** `karoo miners` in process: its flags, its JSON lines, and a run against an in-memory network. */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { UsageError } from '../../runtime/usage-error.js';
import { jsonEventLine, rackOptionsFromFlags, runMiners } from './miners-command.js';
import { MemoryHarness } from './test-support/memory-harness.js';

let h = new MemoryHarness();
afterEach(async () => {
  await h.close();
  h = new MemoryHarness();
});

describe('rackOptionsFromFlags', () => {
  const base = { user: 'karoo', url: 'stratum+tcp://127.0.0.1:3333' };

  test('maps flags to rack options', () => {
    const o = rackOptionsFromFlags({
      ...base,
      nerdminer: '4',
      bitaxe: '1',
      hashrateScale: '2',
      pass: 'p',
      wire: true,
    });
    expect(o.counts).toEqual({ nerdminer: 4, bitaxe: 1 });
    expect(o.hashrateScale).toBe(2);
    expect(o.password).toBe('p');
    expect(o.wireEvents).toBe(true);
  });

  test.each([
    [{ user: 'karoo', nerdminer: '1' }, '--url: required'],
    [{ ...base, url: 'http://x:1', nerdminer: '1' }, '--url: expected stratum+tcp://HOST:PORT'],
    [{ ...base, nerdminer: 'four' }, '--nerdminer: expected a count'],
    [{ ...base }, 'no miners'],
    [{ ...base, cpu: '0' }, 'no miners'],
    [{ ...base, cpu: '1', hashrateScale: '0' }, '--hashrate-scale: expected a number above 0'],
    [{ ...base, cpu: '1', user: 'a"b' }, '--user:'],
  ])('%j is a usage error naming the flag', (flags, message) => {
    expect(() => rackOptionsFromFlags(flags)).toThrow(UsageError);
    expect(() => rackOptionsFromFlags(flags)).toThrow(message);
  });
});

describe('jsonEventLine', () => {
  test('an event payload inline; a console line (a string) as {line}', () => {
    const tx = JSON.parse(
      jsonEventLine({
        worker: 'karoo.nerd-01',
        profile: 'nerdminer',
        event: 'tx',
        payload: { session: 0, line: '{"id": 1}' },
      }),
    ) as Record<string, unknown>;
    expect(Object.keys(tx)).toEqual(['time', 'event', 'worker', 'profile', 'session', 'line']);
    expect(tx).toMatchObject({ event: 'tx', worker: 'karoo.nerd-01', session: 0, line: '{"id": 1}' });
    const line = JSON.parse(
      jsonEventLine({
        worker: 'karoo.nerd-01',
        profile: 'nerdminer',
        event: 'console',
        payload: '[WORKER] ==> Mining subscribe',
      }),
    ) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(['time', 'event', 'worker', 'profile', 'line']);
    expect(line.line).toBe('[WORKER] ==> Mining subscribe');
  });
});

describe('runMiners', () => {
  test('a pool that refuses the first connection ends the run at once, with the reason and a summary', async () => {
    const out: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out.push(chunk.toString());
        done();
      },
    });
    const run = runMiners(
      {
        url: 'stratum+tcp://nobody.test:3333',
        counts: { cpu: 1, nerdminer: 1 },
        clock: h.clock,
        dial: h.network.dial,
        scheduler: h.scheduler,
      },
      { json: true },
      sink,
    );
    await run.done;
    expect(run.unreachable).toBe(
      'cannot connect to stratum+tcp://nobody.test:3333: connect ECONNREFUSED nobody.test:3333',
    );
    const events = out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    expect(events.at(-1)?.event).toBe('summary');
    expect(events.filter((e) => e.event === 'connect-failed').length).toBeGreaterThan(0);
    // Firmware would retry for ever; the command stops: no timer is left to retry with.
    expect(h.clock.pending).toBe(0);
  });
});
