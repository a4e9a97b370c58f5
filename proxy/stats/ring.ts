/** What every empty ring holds (never written: a first push replaces it). */
const EMPTY: readonly never[] = Object.freeze([]);

/** The last `capacity` values pushed, oldest dropped first. */
export class Ring<T> {
  readonly capacity: number;
  private items: T[] = EMPTY as never[];
  private next = 0;

  constructor(capacity: number) {
    Ring.checkCapacity(capacity);
    this.capacity = capacity;
  }

  /** Throws what the constructor would for this capacity (for rings made later, on first use). */
  static checkCapacity(capacity: number): void {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.items.length;
  }

  push(value: T): void {
    // A first push would give the array room for 17; most rings of an idle miner hold one entry.
    if (this.items.length === 0) this.items = [value];
    else if (this.items.length < this.capacity) this.items.push(value);
    else this.items[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    if (this.items.length < this.capacity) return [...this.items];
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }

  clear(): void {
    this.items = EMPTY as never[];
    this.next = 0;
  }
}
