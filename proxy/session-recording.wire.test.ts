import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readRecording } from '../recording/read-recording.js';
import { systemClock } from '../runtime/clock.js';
import type { PoolSimulator } from '../simulator/pool/index.js';
import { codeOf, connectMiner, findShare, submit } from '../simulator/pool/test-support/pool-harness.js';
import type { RunningProxy } from './run-proxy.js';
import { sessionRecorder } from './session-recording.js';
import { PATIENCE } from '../test-support/patience.js';
import { proxyFixture } from './test-support/proxy-fixture.js';

const fx = proxyFixture();

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;
const dirs: string[] = [];

afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('karoo proxy --record', () => {
  it('writes each miner session as a recording: its lines, the proxy answers, the close, no password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'karoo-record-'));
    dirs.push(dir);
    pool = await fx.pool();
    proxy = await fx.startProxy(
      pool.port,
      {},
      { tapSession: sessionRecorder(dir, 'stratum+tcp://pool', systemClock) },
    );
    const m = await connectMiner(proxy.stratum.port, { worker: 'rec.1' });
    expect(codeOf(await submit(m, findShare(m)))).toBeNull();
    await m.client.close();
    await vi.waitFor(() => expect(proxy?.core.minerCount).toBe(0), PATIENCE);
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    await vi.waitFor(
      () =>
        expect(readRecording(join(dir, files[0] as string)).entries.some((e) => e.kind === 'close')).toBe(
          true,
        ),
      PATIENCE,
    );
    const rec = readRecording(join(dir, files[0] as string));
    const lines = rec.entries.filter((e) => e.kind === 'line');
    const fromMiner = lines.filter((e) => e.from === 'miner').map((e) => JSON.parse(e.line).method);
    expect(fromMiner).toEqual(['mining.subscribe', 'mining.authorize', 'mining.submit']);
    const toMiner = lines.filter((e) => e.from === 'pool').map((e) => JSON.parse(e.line));
    expect(toMiner.some((msg) => msg.method === 'mining.notify')).toBe(true);
    expect(toMiner.filter((msg) => msg.method === undefined).every((msg) => msg.error === null)).toBe(true);
    const authorize = lines.find((e) => e.from === 'miner' && e.line.includes('mining.authorize'));
    expect(authorize?.line).not.toContain('"x"');
    expect(rec.entries.at(-1)).toMatchObject({ kind: 'close', from: 'miner' });
  });
});
