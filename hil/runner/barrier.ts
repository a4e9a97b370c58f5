interface Gate {
  readonly arrived: Set<number>;
  readonly waiters: { resolve: (value: unknown) => void; reject: (err: unknown) => void }[];
  action: () => Promise<unknown>;
  fired: boolean;
}

/**
 * Lets the boards of one scenario act on the shared bench once: `arrive(key, fn)` waits until every
 * participant has arrived at `key` or finished its run, then runs `fn` once and gives every
 * waiter its result (or its error). A board that fails early leaves, so the others never wait on it.
 */
export class Barrier {
  private readonly gates = new Map<string, Gate>();
  private readonly left = new Set<number>();

  constructor(private readonly participants: number) {}

  arrive<T>(participant: number, key: string, action: () => Promise<T>): Promise<T> {
    let gate = this.gates.get(key);
    if (gate === undefined) {
      gate = { arrived: new Set(), waiters: [], action, fired: false };
      this.gates.set(key, gate);
    }
    if (gate.fired) return Promise.reject(new Error(`barrier ${key} already passed`));
    gate.arrived.add(participant);
    const result = new Promise<T>((resolve, reject) => {
      gate.waiters.push({ resolve: resolve as (value: unknown) => void, reject });
    });
    this.check(gate);
    return result;
  }

  /** The participant's run ended; no gate waits for it any more. */
  leave(participant: number): void {
    this.left.add(participant);
    for (const gate of this.gates.values()) this.check(gate);
  }

  private check(gate: Gate): void {
    if (gate.fired) return;
    let present = gate.arrived.size;
    for (const p of this.left) if (!gate.arrived.has(p)) present++;
    if (present < this.participants) return;
    gate.fired = true;
    const waiters = gate.waiters.splice(0);
    Promise.resolve()
      .then(() => gate.action())
      .then(
        (value) => waiters.forEach((w) => w.resolve(value)),
        (err: unknown) => waiters.forEach((w) => w.reject(err)),
      );
  }
}
