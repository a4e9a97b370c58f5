import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Recording } from '../../recording/format.js';
import { parseRecording, readRecording } from '../../recording/read-recording.js';
import type { Step } from './replay-plan.js';
import { planReplay } from './replay-plan.js';
import { extranonce2Length, liveVersionBits } from './replayer.js';
import { applyFormat, formatOf } from './submit-plan.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/recordings/', import.meta.url));
const fixture = (name: string): Recording => readRecording(join(FIXTURES, name));
const submits = (steps: Step[]) =>
  steps
    .flatMap((s) => (s.kind === 'send' && s.submit !== undefined ? [s.submit] : []))
    .sort((a, b) => a.position - b.position);

describe('planReplay on the scripted edge-case recording', () => {
  const plan = planReplay(fixture('pool-edge-cases.jsonl'));
  const shares = submits(plan.steps).map((s) => s.plan);

  it('describes every recorded share by what made the pool accept or refuse it', () => {
    expect(shares.map((s) => s.goal)).toEqual([
      'meet', // valid
      'meet', // duplicate
      'meet', // duplicate in upper case
      'miss', // low difficulty
      'as-recorded', // unknown job
      'meet', // extranonce2 one byte short
      'meet', // ntime a day ahead
      'meet', // version bits inside the mask
      'meet', // version bits outside the mask
      'meet', // new job
      'meet', // older job of the same block
      'meet', // job made stale by the new block
      'meet', // job of the new block
    ]);
    expect(shares.map((s) => s.duplicateOf)).toEqual([undefined, 0, 0, ...Array(10).fill(undefined)]);
    expect(shares[2]?.formats.nonce.upper).toBe(true);
    expect(shares[5]?.extranonce2Delta).toBe(-1);
    expect(shares[6]?.ntimeDelta).toBe(86_400);
    expect(shares[7]?.versionBits).toEqual({ bits: 0x2000, outsideMask: false });
    expect(shares[8]?.versionBits).toEqual({ bits: 1, outsideMask: true });
    expect(shares[4]?.notifyKey).toBeUndefined();
    expect(shares[11]?.notifyKey).toBe('mining.notify #2');
  });

  it('expects an answer for every request, notifications by method and count, and the pool closing', () => {
    const answers = plan.expected.filter((e) => e.kind === 'answer');
    const requests = plan.steps.filter((s) => s.kind === 'send' && s.request !== undefined);
    // The oversized line is an oversize record, not a request: every request was answered.
    expect(answers).toHaveLength(requests.length);
    expect(answers[0]).toMatchObject({ key: 'answer 1 #1', method: 'mining.configure' });
    expect(plan.expected.filter((e) => e.kind === 'request').map((e) => e.key)).toEqual([
      'mining.set_difficulty #1',
      'mining.notify #1',
      'mining.notify #2',
      'mining.notify #3',
    ]);
    expect(plan.poolCloses).toBe(true);
    expect(plan.steps.at(-2)).toMatchObject({ kind: 'oversize', bytes: 256 * 1024 });
    expect(plan.steps.at(-1)?.kind).toBe('pool-close');
  });
});

describe('planReplay pairs answers with requests that share an id', () => {
  it('stratum-client: every submit has the id "mining.submit"; the n-th answer answers the n-th submit', () => {
    const plan = planReplay(fixture('karoo-stratum-client.jsonl'));
    const keys = plan.expected.filter((e) => e.method === 'mining.submit').map((e) => e.key);
    expect(keys).toEqual([
      'answer "mining.submit" #1',
      'answer "mining.submit" #2',
      'answer "mining.submit" #3',
    ]);
    expect(submits(plan.steps).map((s) => s.plan.duplicateOf)).toEqual([undefined, 0, undefined]);
  });

  it('cpuminer: every submit has id 4', () => {
    const plan = planReplay(fixture('pool-cpu.jsonl'));
    const keys = plan.expected.filter((e) => e.method === 'mining.submit').map((e) => e.key);
    expect(keys.length).toBeGreaterThan(3);
    expect(keys.every((k, i) => k === `answer 4 #${i + 1}`)).toBe(true);
  });
});

describe('planReplay around marks', () => {
  const header = '{"format":"karoo-recording","version":1,"session":1,"started":"2025-01-01T00:00:00.000Z"}';
  const rec = (lines: string[]): Recording => parseRecording([header, ...lines].join('\n'), 'm.jsonl');
  const miner = (id: number): string =>
    JSON.stringify({
      t: 0,
      from: 'miner',
      line: `{"id":${id},"method":"mining.submit","params":["w","1","00","00000000","00000000"]}`,
    });
  const answer = (id: number): string =>
    JSON.stringify({ t: 0, from: 'pool', line: `{"id":${id},"result":true,"error":null}` });
  const notify = JSON.stringify({
    t: 0,
    from: 'pool',
    line: '{"id":null,"method":"mining.notify","params":[]}',
  });
  const mark = '{"t":0,"event":"new-block"}';

  it('moves a request the target judged after the action to just after the mark, and awaits the reaction', () => {
    const plan = planReplay(rec([miner(1), answer(1), miner(2), mark, notify, answer(2)]));
    expect(plan.steps.map((s) => (s.kind === 'send' ? `send ${s.request?.key}` : s.kind))).toEqual([
      'send request 1 #1',
      'mark',
      'send request 2 #1',
    ]);
    expect(plan.steps[1]).toMatchObject({ kind: 'mark', reaction: 'mining.notify #1' });
  });

  it('keeps a request answered before the reaction where it was', () => {
    const plan = planReplay(rec([miner(1), mark, answer(1), notify]));
    expect(plan.steps.map((s) => s.kind)).toEqual(['send', 'mark']);
  });
});

describe('re-mining helpers', () => {
  it.each([
    [8, 0, 8],
    [4, -1, 3],
    [4, 2, 6],
    [1, -1, 2],
    [16, 1, 15],
  ])('extranonce2 for size %i, recorded delta %i: %i bytes', (size, delta, bytes) => {
    expect(extranonce2Length(size, delta)).toBe(bytes);
  });

  it('version bits stay inside the live mask when they were inside, outside when outside', () => {
    expect(liveVersionBits({ bits: 0x2000, outsideMask: false }, 0x1fffe000)).toBe(0x2000);
    expect(liveVersionBits({ bits: 0x2000, outsideMask: false }, 0x00ff0000)).toBe(0x10000);
    expect(liveVersionBits({ bits: 0x2000, outsideMask: false }, 0)).toBe(0);
    expect(liveVersionBits({ bits: 1, outsideMask: true }, 0x1fffe000)).toBe(1);
    expect(liveVersionBits({ bits: 0x4000, outsideMask: true }, 0x1fffe000)).toBe(0x4001);
  });

  it('hex is written as the recorded field was: case and dropped leading zeros', () => {
    expect(applyFormat('00a1b2c3', formatOf('A1B2'))).toBe('A1B2C3');
    expect(applyFormat('00a1b2c3', formatOf('da55542d'))).toBe('00a1b2c3');
    expect(applyFormat('0000000a', formatOf('1a2b3c'))).toBe('a');
    expect(applyFormat('00000001', formatOf('0001'), false)).toBe('00000001');
  });
});
