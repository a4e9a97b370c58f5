import { ExtranoncePrefixAllocator, choosePrefixLayout } from '../stratum/index.js';
import type { PrefixLayout } from '../stratum/index.js';
import type { ExtranonceAssignment } from './session/miner-session.js';

export type SplitChange = 'none' | 'extranonce1' | 'layout';

/**
 * The pool's extranonce space cut into per-miner pieces: extranonce1 = pool extranonce1 + a unique
 * prefix; the miner's extranonce2 is what remains of the pool's.
 */
export class ExtranonceSplit {
  poolExtranonce1: string | undefined;
  poolExtranonce2Size = 0;
  layout: PrefixLayout | undefined;
  private allocator: ExtranoncePrefixAllocator | undefined;

  get ready(): boolean {
    return this.allocator !== undefined;
  }

  get liveCount(): number {
    return this.allocator?.liveCount ?? 0;
  }

  /** Adopts the pool's (new) extranonce; says what miners must be told. */
  update(poolExtranonce1: string, poolExtranonce2Size: number): SplitChange {
    if (this.allocator && poolExtranonce2Size === this.poolExtranonce2Size) {
      const changed = poolExtranonce1 !== this.poolExtranonce1;
      this.poolExtranonce1 = poolExtranonce1;
      return changed ? 'extranonce1' : 'none';
    }
    const hadLayout = this.allocator !== undefined;
    this.poolExtranonce1 = poolExtranonce1;
    this.poolExtranonce2Size = poolExtranonce2Size;
    this.layout = choosePrefixLayout(poolExtranonce2Size);
    this.allocator = new ExtranoncePrefixAllocator(this.layout.prefixBytes);
    return hadLayout ? 'layout' : 'none';
  }

  /** A new prefix (throws ExtranonceSpaceFullError when none is free). */
  assign(): ExtranonceAssignment {
    if (!this.allocator || !this.layout || this.poolExtranonce1 === undefined) {
      throw new Error('extranonce split used before the upstream was known');
    }
    const prefix = this.allocator.allocate();
    return this.describe(prefix);
  }

  /** The same prefix under the current pool extranonce1. */
  describe(prefix: string): ExtranonceAssignment {
    const layout = this.layout as PrefixLayout;
    return {
      prefix,
      extranonce1: `${this.poolExtranonce1 ?? ''}${prefix}`,
      extranonce2Size: layout.minerExtranonce2Size,
    };
  }

  owns(assignment: ExtranonceAssignment): boolean {
    return (
      this.allocator !== undefined &&
      assignment.prefix.length === (this.layout as PrefixLayout).prefixBytes * 2 &&
      this.allocator.isLive(assignment.prefix)
    );
  }

  release(assignment: ExtranonceAssignment): void {
    if (this.owns(assignment)) this.allocator?.release(assignment.prefix);
  }

  onCleanJob(): void {
    this.allocator?.onCleanJob();
  }
}
