import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { FIXTURE_POOL } from '../fixture-sessions/fixture-target.js';
import { startPool } from '../../simulator/pool/index.js';
import type { Recording } from '../../recording/format.js';
import { parseRecording } from '../../recording/read-recording.js';
import { acceptEveryShare } from '../../peers/pool-handlers.js';
import { ScriptedPool } from '../../peers/scripted-pool.js';
import type { ReplayReport } from './replay-report.js';
import { failures, formatReplayReport } from './replay-report.js';
import { replayRecording } from './replayer.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/recordings/', import.meta.url));
const text = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** The fixture with one recorded line changed (found by a substring, replaced whole). */
function edited(name: string, find: (line: string) => boolean, change: (line: string) => string): Recording {
  const lines = text(name).split('\n');
  const at = lines.findIndex((l, i) => i > 0 && find(l));
  if (at < 0) throw new Error(`no line to edit in ${name}`);
  const rec = JSON.parse(lines[at] as string) as { line: string };
  lines[at] = JSON.stringify({ ...rec, line: change(rec.line) });
  return parseRecording(lines.join('\n'), name);
}

let pool: PoolSimulator | undefined;
let broken: ScriptedPool | undefined;

afterEach(async () => {
  await pool?.close();
  await broken?.close();
  pool = undefined;
  broken = undefined;
});

async function againstPool(
  recording: Recording,
  extra: Parameters<typeof startPool>[0] = {},
  timeoutMs?: number,
): Promise<ReplayReport> {
  const p = await startPool({ ...FIXTURE_POOL, host: '127.0.0.1', port: 0, ...extra });
  pool = p;
  return replayRecording(recording, {
    target: { host: '127.0.0.1', port: p.port },
    hooks: { newJob: () => void p.newJob(), newBlock: () => void p.newBlock() },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

describe('replay finds what differs', () => {
  it('a target that accepts every share fails exactly the recorded rejections', async () => {
    broken = await ScriptedPool.start({ difficulty: 1e-6, handlers: { 'mining.submit': acceptEveryShare } });
    const b = broken;
    const report = await replayRecording(
      parseRecording(text('pool-edge-cases.jsonl'), 'pool-edge-cases.jsonl'),
      {
        target: { host: '127.0.0.1', port: b.port },
        hooks: { newJob: () => b.newJob(false), newBlock: () => b.newJob(true) },
        timeoutMs: 3000,
      },
    );
    expect(report.passed).toBe(false);
    const wrong = failures(report).filter((f) => f.rule === 'answer');
    expect(wrong.map((f) => f.expected).sort()).toEqual(
      ['error 20', 'error 20', 'error 20', 'error 21', 'error 21', 'error 22', 'error 22', 'error 23'].sort(),
    );
    expect(wrong.every((f) => f.got === 'result true')).toBe(true);
  });

  it('an error code the target does not give', async () => {
    const rec = edited(
      'pool-edge-cases.jsonl',
      (l) => l.includes('[23,'),
      (l) => l.replace('[23,', '[22,'),
    );
    const report = await againstPool(rec);
    const bad = failures(report);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ rule: 'answer', expected: 'error 22', got: 'error 23' });
    expect(bad[0]?.what).toMatch(/^answer to mining\.submit \(id \d+\)$/);
  });

  it('a clean_jobs flag the target does not set', async () => {
    const rec = edited(
      'pool-nerdminer.jsonl',
      (l) => l.includes('mining.notify') && l.includes('true]'),
      (l) => l.replace(/true\]\}$/, 'false]}'),
    );
    const bad = failures(await againstPool(rec));
    expect(bad[0]).toMatchObject({
      rule: 'notification',
      what: 'mining.notify #1 from the target',
      expected: 'mining.notify with clean_jobs false',
      got: 'mining.notify with clean_jobs true',
    });
  });

  it('set_difficulty and notify in another order', async () => {
    const lines = text('pool-cpu.jsonl').split('\n');
    const d = lines.findIndex(
      (l, i) =>
        i > 0 && (JSON.parse(l) as { line?: string }).line?.includes('"method":"mining.set_difficulty"'),
    );
    [lines[d], lines[d + 1]] = [lines[d + 1] as string, lines[d] as string];
    const bad = failures(await againstPool(parseRecording(lines.join('\n'), 'swapped.jsonl')));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ rule: 'order' });
    expect(bad[0]?.expected).toContain('mining.notify #1, mining.set_difficulty #1');
  });

  it('a target that does not close where the recording shows the pool closing', async () => {
    const report = await againstPool(
      parseRecording(text('pool-edge-cases.jsonl'), 'edge.jsonl'),
      { lineCap: 1024 * 1024 },
      1500,
    );
    const bad = failures(report);
    expect(bad.map((f) => f.rule)).toEqual(['close']);
    expect(bad[0]).toMatchObject({ expected: 'closed by the target', got: 'still open' });
  });

  it('an unreachable target: one failed finding, no exception', async () => {
    const p = await startPool({ host: '127.0.0.1', port: 0 });
    const port = p.port;
    await p.close();
    const report = await replayRecording(parseRecording(text('pool-cpu.jsonl'), 'cpu.jsonl'), {
      target: { host: '127.0.0.1', port },
    });
    expect(report.passed).toBe(false);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]?.got).toContain('ECONNREFUSED');
  });

  it('a hashing budget too small to re-mine is a re-mine failure, not a hang', async () => {
    const p = await startPool({ ...FIXTURE_POOL, host: '127.0.0.1', port: 0 });
    pool = p;
    const report = await replayRecording(parseRecording(text('pool-gpu-2.jsonl'), 'gpu.jsonl'), {
      target: { host: '127.0.0.1', port: p.port },
      hooks: { newBlock: () => void p.newBlock() },
      hashBudget: 1,
      timeoutMs: 3000,
    });
    const remine = failures(report).filter((f) => f.rule === 're-mine');
    expect(remine.length).toBeGreaterThan(0);
    expect(remine[0]?.got).toContain('none in 1 hashes');
  });
});

describe('replay sends what the recording says, adapted to the live session', () => {
  it('passwords: the placeholder unless one is given', async () => {
    const p = await startPool({ ...FIXTURE_POOL, host: '127.0.0.1', port: 0 });
    pool = p;
    const rec = parseRecording(text('karoo-stratum-client.jsonl'), 'sc.jsonl');
    const report = await replayRecording(rec, {
      target: { host: '127.0.0.1', port: p.port },
      hooks: { newBlock: () => void p.newBlock() },
      password: 'hunter2',
    });
    expect(report.passed, formatReplayReport(report)).toBe(true);
    const sent = report.transcript.filter((e) => e.dir === 'sent').map((e) => e.line);
    expect(sent).toContain(
      '{"id":"mining.authorize","method":"mining.authorize","params":["fixture.stratum-client","hunter2"]}',
    );
    // Re-mined shares keep stratum-client's own layout (params first, spaces) and string id; the
    // extranonce2 takes the pool's size (8 bytes), not Karoo's (4) of the recording.
    const submit = sent.find((l) => l.includes('mining.submit'));
    expect(submit).toMatch(
      /^\{"params": \["fixture\.stratum-client", "[0-9a-f]+", "[0-9a-f]{16}", "[0-9a-f]{8}", "[0-9a-f]{8}"\], "id": "mining\.submit", "method": "mining\.submit"\}$/,
    );
  });

  it('NerdMiner nonces stay unpadded, and every share is re-mined for the live job', async () => {
    const report = await againstPool(parseRecording(text('pool-nerdminer.jsonl'), 'nm.jsonl'));
    expect(report.passed, formatReplayReport(report)).toBe(true);
    expect(report.stats.reMined).toBe(report.stats.submits);
    expect(report.stats.hashes).toBeGreaterThan(0);
    const submits = report.transcript.filter((e) => e.dir === 'sent' && e.line.includes('mining.submit'));
    for (const s of submits) {
      const nonce = (JSON.parse(s.line) as { params: string[] }).params[4] as string;
      expect(nonce).toMatch(/^[1-9a-f][0-9a-f]*$/);
    }
  });
});
