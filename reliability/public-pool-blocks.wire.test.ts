import { expect, it, vi } from 'vitest';
import { startMiner } from '../simulator/miners/index.js';
import type { SimulatedMiner } from '../simulator/miners/index.js';
import { startPool } from '../simulator/pool/index.js';
import type { PoolSimulator, ShareEvent } from '../simulator/pool/index.js';
import type { RunningProxy } from '../proxy/run-proxy.js';
import { PATIENCE } from '../test-support/patience.js';
import { proxyFixture } from '../proxy/test-support/proxy-fixture.js';

const fx = proxyFixture();

/** public-pool wants ADDRESS[.worker]; the genesis block's address will do. */
const UPSTREAM_USER = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa.karoo';
/** Karoo's vardiff floor: where every miner starts. */
const SHARE_DIFFICULTY = 1e-5;
const NETWORK_DIFFICULTY = 1e-9;
const BLOCKS_WANTED = 5;

/**
 * Lets `miners` mine until the pool has found BLOCKS_WANTED blocks, stops them, and waits for the
 * pool's verdict on every share Karoo forwarded. Returns a reader of Karoo's books.
 */
async function mineBlocks(pool: PoolSimulator, proxy: RunningProxy, miners: SimulatedMiner[]) {
  await vi.waitFor(() => expect(pool.stats().totals.blocksFound).toBeGreaterThanOrEqual(BLOCKS_WANTED), {
    ...PATIENCE,
    timeout: 60_000,
  });
  await Promise.all(miners.map((m) => m.stop()));
  const books = () => proxy.core.snapshot({ miners: false }).books;
  await vi.waitFor(() => {
    const { totals } = pool.stats();
    expect(totals.accepted + totals.rejectedTotal).toBe(books().forwardedTotal);
  }, PATIENCE);
  return books;
}

/**
 * Issue 19's done-when: a simulated rack through Karoo in front of `karoo pool --profile
 * public-pool --network-difficulty 1e-9`, the pool starting every session at its own 16384.
 * Every share a miner finds is a block candidate, and Karoo forwards each. public-pool books a
 * block only for a share that also meets the session's difficulty (StratumV1Client.ts): Karoo's
 * suggest_difficulty (public-pool honours one per connection) asks for no more than the network
 * difficulty of the jobs' nbits, so no candidate is refused for its difficulty; each block found
 * starts the next, so a share in flight may go stale.
 */
it('a rack through Karoo in front of public-pool gets shares accepted, and every block candidate into its books', async () => {
  const pool = await startPool({
    port: 0,
    profile: 'public-pool',
    networkDifficulty: NETWORK_DIFFICULTY,
    blockIntervalSeconds: 0,
  });
  fx.pools.push(pool);
  expect(pool.options.difficulty).toBe(16384);
  const proxy = await fx.startProxy(pool.port, {
    upstream: { user: UPSTREAM_USER },
    vardiff: { min_diff: SHARE_DIFFICULTY, start_diff: SHARE_DIFFICULTY },
  });
  const judged: ShareEvent[] = [];
  pool.on('share', (e) => judged.push(e));
  const started = Date.now();
  const miners: SimulatedMiner[] = [
    startMiner({ profile: 'nerdminer', url: proxy.url, worker: 'w.nerd-01', hashrate: 60_000 }),
    startMiner({ profile: 'bitaxe', url: proxy.url, worker: 'w.bitaxe-01', hashrate: 80_000 }),
    startMiner({ profile: 'cpu', url: proxy.url, worker: 'w.cpu-01', hashrate: 60_000 }),
  ];
  const stopMiners = () => Promise.all(miners.map((m) => m.stop())).then(() => undefined);
  fx.onTeardown(stopMiners);

  const firstAccepted = await vi.waitFor(() => {
    const e = judged.find((j) => j.accepted);
    expect(e).toBeDefined();
    return e as ShareEvent;
  }, PATIENCE);
  // Every share Karoo forwarded has the pool's verdict, in both books.
  const books = await mineBlocks(pool, proxy, miners);
  await vi.waitFor(
    () => expect(books().pool.totals.accepted + books().pool.totals.rejected).toBe(books().forwardedTotal),
    PATIENCE,
  );
  const { totals, workers } = pool.stats();
  const karoo = books();
  const poolDifficulty = pool.sessions()[0]?.difficulty ?? Number.NaN;
  console.info(
    `public-pool done-when: first pool-accepted share ${firstAccepted.at - started} ms after the first miner; ` +
      `${karoo.blockCandidatesTotal} block candidates forwarded, ${totals.blocksFound} blocks in the pool's books, ` +
      `refused ${JSON.stringify(totals.rejected)}; pool difficulty ${poolDifficulty}`,
  );
  expect(firstAccepted.at - started).toBeLessThan(30_000);
  expect(poolDifficulty).toBeLessThanOrEqual(NETWORK_DIFFICULTY);
  // Every forwarded share was a block candidate, and each is in the pool's books: a block found
  // (and the share accepted), or stale behind a block just found; none below the difficulty.
  expect(karoo.blockCandidatesTotal).toBe(karoo.forwardedTotal);
  expect(totals.blocksFound).toBe(totals.accepted);
  expect(totals.accepted + totals.rejectedTotal).toBe(karoo.blockCandidatesTotal);
  expect(Object.keys(totals.rejected).filter((r) => r !== 'stale')).toEqual([]);
  expect(karoo.pool.totals.accepted).toBe(totals.accepted);
  expect(workers[UPSTREAM_USER]?.blocksFound).toBe(totals.blocksFound);
  expect(totals.blocks).toBe(totals.blocksFound);
}, 90_000);

/**
 * The same rack with its miners below the pool's difficulty (the default profile, which, like
 * ckpool, submits any share meeting the network target): each block candidate Karoo forwards is
 * a block in the pool's books, though no ordinary share of theirs would be.
 */
it('block candidates below the pool difficulty reach a pool that takes them (default profile)', async () => {
  // Suggestions clamped to 1: Karoo cannot bring this pool down to its miners.
  const pool = await startPool({
    port: 0,
    networkDifficulty: 1e-9,
    difficulty: 1,
    minDifficulty: 1,
    maxDifficulty: 1,
    blockIntervalSeconds: 0,
  });
  fx.pools.push(pool);
  const proxy = await fx.startProxy(pool.port, {
    vardiff: { min_diff: SHARE_DIFFICULTY, start_diff: SHARE_DIFFICULTY, max_diff: 10 * SHARE_DIFFICULTY },
  });
  const miners = [
    startMiner({ profile: 'bitaxe', url: proxy.url, worker: 'w.bitaxe-01', hashrate: 80_000 }),
    startMiner({ profile: 'cpu', url: proxy.url, worker: 'w.cpu-01', hashrate: 60_000 }),
  ];
  const stopMiners = () => Promise.all(miners.map((m) => m.stop())).then(() => undefined);
  fx.onTeardown(stopMiners);
  const books = await mineBlocks(pool, proxy, miners);
  const { totals } = pool.stats();
  expect(books().blockCandidatesTotal).toBe(books().forwardedTotal);
  expect(totals.blocksFound).toBe(totals.accepted);
  expect(totals.blocksFound + (totals.rejected['stale'] ?? 0)).toBe(books().blockCandidatesTotal);
  // Credited what each had to meet: the network's difficulty, not the pool's 1.
  expect(totals.acceptedDifficulty).toBeLessThan(totals.accepted * 2e-9);
}, 90_000);
