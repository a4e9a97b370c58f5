import { randomBytes } from 'node:crypto';
import { ExtranoncePrefixAllocator } from '../../stratum/index.js';
import type { PoolProfile } from './profiles/index.js';

/** Closed sessions remembered for a resume by subscription id (ckpool keeps them 600 s). */
const REMEMBERED_SESSIONS = 4096;

/**
 * The pool's extranonce1s, as its profile hands them out: from a counter (unique, a released one
 * reused only after the next block) or random (public-pool's 4 random bytes, here kept unique
 * among live sessions); and a closed session resumed by the extranonce1 it offers, by its
 * subscription id (ckpool), or never (public-pool).
 */
export class ExtranonceBook {
  private readonly allocator: ExtranoncePrefixAllocator;
  private readonly salt: string;
  private readonly random = new Set<string>();
  private readonly closedSessions = new Map<string, string>();

  constructor(
    private readonly size: number,
    private readonly habits: PoolProfile['subscribe'],
    private readonly randomHex: (bytes: number) => string = (bytes) => randomBytes(bytes).toString('hex'),
  ) {
    const counted = Math.min(size, 4);
    this.allocator = new ExtranoncePrefixAllocator(counted);
    this.salt = this.randomHex(size - counted);
  }

  allocate(): string {
    if (this.habits.extranonce1 === 'counter') return this.salt + this.allocator.allocate();
    for (;;) {
      const en1 = this.randomHex(this.size);
      if (!this.random.has(en1)) {
        this.random.add(en1);
        return en1;
      }
    }
  }

  release(en1: string): void {
    if (this.random.delete(en1)) return;
    if (en1.startsWith(this.salt)) this.allocator.release(en1.slice(this.salt.length));
  }

  /** A session that had subscribed closed; its subscription id may resume it. */
  closed(subscriptionId: string, en1: string): void {
    if (this.habits.resume !== 'subscription-id') return;
    this.closedSessions.delete(subscriptionId);
    this.closedSessions.set(subscriptionId, en1);
    if (this.closedSessions.size > REMEMBERED_SESSIONS)
      this.closedSessions.delete(this.closedSessions.keys().next().value as string);
  }

  /** The extranonce1 of a just-closed session that `offered` names; undefined otherwise. */
  resume(offered: string): string | undefined {
    const key = offered.toLowerCase();
    let wanted: string;
    switch (this.habits.resume) {
      case 'none':
        return undefined;
      case 'extranonce1':
        wanted = key;
        break;
      case 'subscription-id': {
        const en1 = this.closedSessions.get(key);
        if (en1 === undefined) return undefined;
        this.closedSessions.delete(key);
        wanted = en1;
        break;
      }
    }
    if (this.habits.extranonce1 !== 'counter' || !wanted.startsWith(this.salt)) return undefined;
    return this.allocator.reclaim(wanted.slice(this.salt.length)) ? wanted : undefined;
  }

  /** A new block: released extranonce1s are free again. */
  onCleanJob(): void {
    this.allocator.onCleanJob();
  }
}
