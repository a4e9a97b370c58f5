/**
 * Options for `vi.waitFor` in tests that wait on real sockets, pseudo-terminals or processes:
 * polled every 20 ms, generous enough for a loaded 2-core CI machine. The condition is what the
 * test waits for; the timeout only turns a hang into a failure, so it is never a timing assertion.
 *
 *   await vi.waitFor(() => expect(pool.stats().totals.accepted).toBe(1), PATIENCE);
 */
export const PATIENCE = { timeout: 20_000, interval: 20 } as const;
