import { systemClock } from '../../runtime/clock.js';
import { silentLogger } from '../../runtime/logger.js';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { u32FromHex, u32ToHex } from '../../stratum/index.js';
import { rolledVersion } from '../mining/share-miner.js';
import type { TrackedJob } from '../mining/work-tracker.js';
import { ProbeSession } from '../conformance/probe-session.js';
import type { RunningRecorder } from '../capture/recording-tap.js';

const TIMEOUT_MS = 15_000;
/** Over the recorder's 256 KiB line cap, so it is recorded as an oversize record. */
const OVERSIZE_BYTES = 300 * 1024;

/**
 * A scripted session through the recorder that touches every answer a pool gives: version
 * rolling, valid and low shares, duplicates (also in upper case), an unknown job, a wrong
 * extranonce2 length, ntime out of range, bits outside the mask, ping, an unknown method, a new
 * job, a new block with a stale share, and last an oversized line the target closes on.
 */
export async function runEdgeCases(recorder: RunningRecorder, pool: PoolSimulator): Promise<void> {
  const s = await ProbeSession.open('edge', {
    target: { host: '127.0.0.1', port: recorder.port },
    clock: systemClock,
    logger: silentLogger(),
    timeoutMs: TIMEOUT_MS,
    hashBudget: 50_000_000,
    worker: 'fixture.edge',
    password: 'fixture-secret',
    suggestDifficulty: 1e-6,
  });
  const must = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`edge cases: no ${what}`);
    return value;
  };
  try {
    must(
      await s.request('mining.configure', [['version-rolling'], { 'version-rolling.mask': 'ffffffff' }]),
      'configure answer',
    );
    must(await s.subscribe(), 'subscribe answer');
    must(await s.authorize(), 'authorize answer');
    const job = must(await s.waitForJob(), 'job');
    const mask = s.tracker.versionMask;
    const mine = async (
      j: TrackedJob,
      goal: 'accept' | 'refuse',
      o: Parameters<ProbeSession['mine']>[2] = {},
    ) => must(await s.mine(j, goal, o), 'share');

    const good = await mine(job, 'accept');
    await s.submit(good);
    await s.submit(good);
    await s.submit({ ...good, extranonce2: good.extranonce2.toUpperCase(), nonce: good.nonce.toUpperCase() });
    await s.submit(await mine(job, 'refuse'));
    await s.submit({ ...(await mine(job, 'accept')), jobId: 'f00d' });
    const size = s.tracker.extranonce2Size ?? 4;
    await s.submit(await mine(job, 'accept', { extranonce2: s.extranonce2(size - 1) }));
    await s.submit(await mine(job, 'accept', { ntime: u32ToHex(u32FromHex(job.params.ntime) + 86_400) }));
    const version = u32FromHex(job.params.version);
    const inside = (mask & -mask) >>> 0;
    await s.submit(
      await mine(job, 'accept', { version: rolledVersion(version, inside, mask), versionBits: inside }),
    );
    await s.submit(await mine(job, 'accept', { version: rolledVersion(version, 1, mask), versionBits: 1 }));
    await s.request('mining.ping', []);
    await s.request('mining.fixture_unknown', []);

    recorder.mark('new-job');
    pool.newJob();
    const next = must(await s.waitForJob(job.seq), 'new job');
    await s.submit(await mine(next, 'accept'));
    await s.submit(await mine(job, 'accept'));

    recorder.mark('new-block');
    pool.newBlock();
    const clean = must(await s.waitForCleanJob(next.seq, TIMEOUT_MS), 'clean job');
    await s.submit(await mine(next, 'accept'));
    await s.submit(await mine(clean, 'accept'));

    s.sendRaw(`{"id":99,"method":"mining.subscribe","params":["${'A'.repeat(OVERSIZE_BYTES)}"]}`);
    await s.client.waitClosed(TIMEOUT_MS);
  } finally {
    s.close();
  }
}
