import { ExtranoncePrefixAllocator, choosePrefixLayout } from '../../stratum/index.js';
import type { PrefixLayout } from '../../stratum/index.js';
import type { ExtranonceSnapshot } from './snapshot.js';

export type SplitChange = 'none' | 'extranonce1' | 'layout';

/** One miner's piece of the pool's extranonce space. */
export interface ExtranonceAssignment {
  readonly prefix: string;
  readonly extranonce1: string;
  readonly extranonce2Size: number;
  /** Which allocator handed it out: a new pool layout starts a new one. */
  readonly generation: number;
}

/**
 * The pool's extranonce space cut into per-miner pieces: extranonce1 = pool extranonce1 + a unique
 * prefix; the miner's extranonce2 is what remains of the pool's. Every assignment is released
 * exactly once (a stale one, from before a layout change, is ignored).
 */
export class ExtranonceSplit {
  private poolExtranonce1: string | undefined;
  private poolExtranonce2Size = 0;
  private layout: PrefixLayout | undefined;
  private allocator: ExtranoncePrefixAllocator | undefined;
  private generation = 0;

  get ready(): boolean {
    return this.allocator !== undefined;
  }

  /**
   * Adopts the pool's (new) extranonce; says what miners must be told. Throws a RangeError when
   * the pool's extranonce2 is too small to split (nothing changes then).
   */
  update(poolExtranonce1: string, poolExtranonce2Size: number): SplitChange {
    if (this.allocator && poolExtranonce2Size === this.poolExtranonce2Size) {
      const changed = poolExtranonce1 !== this.poolExtranonce1;
      this.poolExtranonce1 = poolExtranonce1;
      return changed ? 'extranonce1' : 'none';
    }
    const layout = choosePrefixLayout(poolExtranonce2Size);
    const hadLayout = this.allocator !== undefined;
    this.poolExtranonce1 = poolExtranonce1;
    this.poolExtranonce2Size = poolExtranonce2Size;
    this.layout = layout;
    this.allocator = new ExtranoncePrefixAllocator(layout.prefixBytes);
    this.generation += 1;
    return hadLayout ? 'layout' : 'none';
  }

  /** A new prefix (throws ExtranonceSpaceFullError when none is free). */
  assign(): ExtranonceAssignment {
    if (!this.allocator || this.poolExtranonce1 === undefined) {
      throw new Error('extranonce split used before the upstream was known');
    }
    return this.describe(this.allocator.allocate());
  }

  /** The same prefix under the current pool extranonce1. */
  redescribe(assignment: ExtranonceAssignment): ExtranonceAssignment {
    return this.describe(assignment.prefix);
  }

  /** Gives the prefix back (it is reused after the next clean job); stale assignments are ignored. */
  release(assignment: ExtranonceAssignment): void {
    if (assignment.generation === this.generation) this.allocator?.release(assignment.prefix);
  }

  onCleanJob(): void {
    this.allocator?.onCleanJob();
  }

  /** The prefixes held now (the model tests check they are exactly the live miners'). */
  livePrefixes(): string[] {
    return this.allocator?.livePrefixes() ?? [];
  }

  view(): ExtranonceSnapshot {
    const a = this.allocator;
    return {
      poolExtranonce1: this.poolExtranonce1 ?? null,
      poolExtranonce2Size: a ? this.poolExtranonce2Size : null,
      prefixBytes: this.layout?.prefixBytes ?? null,
      minerExtranonce2Size: this.layout?.minerExtranonce2Size ?? null,
      live: a?.liveCount ?? 0,
      quarantined: a?.quarantinedCount ?? 0,
      slots: a?.slots ?? null,
    };
  }

  private describe(prefix: string): ExtranonceAssignment {
    const layout = this.layout as PrefixLayout;
    return {
      prefix,
      extranonce1: `${this.poolExtranonce1 ?? ''}${prefix}`,
      extranonce2Size: layout.minerExtranonce2Size,
      generation: this.generation,
    };
  }
}
