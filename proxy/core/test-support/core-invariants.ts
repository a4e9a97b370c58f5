import { expect } from 'vitest';
import type { CoreBench } from './core-bench.js';

/**
 * What must hold after every step of any interleaving of miner actions and pool faults. Each
 * check reads the truth from outside the core (the miners' own answers and hashes, the fake
 * pool's books, what the proxy actually received) and compares it with the core's snapshot.
 */
export class CoreInvariants {
  /** Header hashes (as each miner computed them) answered `true`, with the block they are on. */
  private readonly accepted = new Map<string, string>();
  private lastAttempt = 0;
  private lastCheckAt: number;
  private countedAnswers = new WeakMap<object, number>();

  /** Header hashes the core judged (its own `share` events). */
  private readonly judged = new Set<string>();

  constructor(private readonly b: CoreBench) {
    this.lastCheckAt = b.clock.now();
    b.core.on('share', (_miner, result) => {
      if (result.hash !== undefined) this.judged.add(result.hash);
    });
  }

  /** Every check; throws (an expect failure) naming the broken invariant. */
  check(): void {
    this.oneAnswerPerRequest();
    this.noShareAcceptedTwice();
    this.noShareForwardedTwice();
    this.prefixesAreTheLiveMiners();
    this.backoffResetsOnlyWhenHealthy();
    this.booksMatchThePool();
    this.lastCheckAt = this.b.clock.now();
  }

  /** Every request of a miner still connected has had its answer (after time enough). */
  everyRequestAnswered(): void {
    for (const m of this.b.miners) {
      if (m.isClosed) continue;
      expect(m.unanswered(), `${m.name}: requests without an answer`).toEqual([]);
    }
  }

  /** Once the pool is healthy, every ready miner works on the pool's current job. */
  everyReadyMinerHasTheCurrentJob(): void {
    const snap = this.b.core.snapshot();
    // On demand: with no miner there is no upstream to heal.
    if (snap.minerCount === 0) return;
    expect(snap.upstream.state, 'upstream state after the pool healed').toBe('ready');
    const ready = new Set(snap.miners.filter((m) => m.ready).map((m) => m.remote));
    for (const m of this.b.miners) {
      if (m.isClosed || !ready.has(m.end.peer?.remoteAddress ?? '')) continue;
      expect(m.latestJob?.jobId, `${m.name}: current job`).toBe(this.b.pool.current.jobId);
    }
  }

  private oneAnswerPerRequest(): void {
    for (const m of this.b.miners)
      for (const [id, list] of m.answers) expect(list.length, `${m.name}: answers to request ${id}`).toBe(1);
  }

  private noShareAcceptedTwice(): void {
    for (const m of this.b.miners) {
      const seen = this.countedAnswers.get(m) ?? 0;
      let i = 0;
      for (const [id, list] of m.answers) {
        i += 1;
        if (i <= seen) continue;
        const request = m.requests.get(id);
        if (request?.method !== 'mining.submit' || list[0]?.result !== true || !request.share) continue;
        const { hash, block } = request.share;
        // Accepted on the header the miner hashed, not on one the proxy rebuilt some other way.
        expect(this.judged.has(hash), `share ${hash.slice(0, 16)} judged on another header (${m.name})`).toBe(
          true,
        );
        expect(
          this.accepted.get(hash),
          `share ${hash.slice(0, 16)} accepted twice (${m.name})`,
        ).toBeUndefined();
        this.accepted.set(hash, block);
      }
      this.countedAnswers.set(m, i);
    }
  }

  private noShareForwardedTwice(): void {
    const hashes = this.b.pool.received.flatMap((r) => (r.hash === null ? [] : [r.hash]));
    expect(new Set(hashes).size, 'a share reached the pool twice').toBe(hashes.length);
    expect(
      this.b.pool.received.filter((r) => r.verdict === 'duplicate'),
      'pool duplicates',
    ).toEqual([]);
  }

  private prefixesAreTheLiveMiners(): void {
    const held = this.b.core.allocatedPrefixes().sort();
    const live = this.b.core
      .snapshot()
      .miners.flatMap((m) => (m.prefix === null ? [] : [m.prefix]))
      .sort();
    expect(held, 'allocated extranonce prefixes vs the live miners’ prefixes').toEqual(live);
  }

  private backoffResetsOnlyWhenHealthy(): void {
    const { attempt } = this.b.core.snapshot({ miners: false }).upstream;
    if (attempt < this.lastAttempt)
      expect(
        this.b.pool.healthySince(this.lastCheckAt),
        `backoff reset from ${this.lastAttempt} without a healthy session`,
      ).toBe(true);
    this.lastAttempt = attempt;
  }

  private booksMatchThePool(): void {
    const { pool, forwardedTotal } = this.b.core.snapshot({ miners: false }).books;
    expect(pool.totals.accepted, 'pool-accepted shares in the proxy’s books').toBe(
      this.b.pool.acceptedInTime,
    );
    expect(pool.totals.rejected, 'pool-rejected shares in the proxy’s books').toBeGreaterThanOrEqual(
      this.b.pool.rejectedInTime,
    );
    expect(
      pool.totals.accepted + pool.totals.rejected,
      'verdicts booked vs shares forwarded',
    ).toBeLessThanOrEqual(forwardedTotal);
    expect(this.b.pool.received.length, 'shares the pool received vs forwarded').toBeLessThanOrEqual(
      forwardedTotal,
    );
  }
}
