import { BenchChild } from '../procs/bench-child.js';
import { benchPoolOptions, benchProxyConfig } from '../procs/configs.js';
import type { BenchProxyConfigOptions } from '../procs/configs.js';

/** Polls the proxy until its upstream session is ready (bounded). */
export async function waitUpstreamReady(proxy: BenchChild, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const state = await proxy.call<{ upstream: string }>('state');
    if (state.upstream === 'ready') return;
    if (Date.now() - start > timeoutMs)
      throw new Error(`proxy upstream still ${state.upstream} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function startPoolChild(difficulty: number): Promise<BenchChild> {
  return BenchChild.start('pool-proc', benchPoolOptions(difficulty));
}

/** Karoo in front of the pool, upstream ready before this resolves. */
export async function startProxyChild(
  o: BenchProxyConfigOptions,
  execArgv: string[] = [],
): Promise<BenchChild> {
  return readyOrStopped(await BenchChild.start('proxy-proc', benchProxyConfig(o), { execArgv }));
}

/** `karoo proxy --workers N` in front of the pool, every worker's upstream ready before this resolves. */
export async function startClusterChild(o: BenchProxyConfigOptions, workers: number): Promise<BenchChild> {
  return readyOrStopped(await BenchChild.start('cluster-proc', { config: benchProxyConfig(o), workers }));
}

/** The proxy child once its upstream is ready; stopped (and the error passed on) if it never is. */
async function readyOrStopped(proxy: BenchChild): Promise<BenchChild> {
  try {
    await waitUpstreamReady(proxy);
  } catch (err) {
    await proxy.stop();
    throw err;
  }
  return proxy;
}

/** Stops every child, whatever happens to any one of them. */
export async function stopAll(children: (BenchChild | undefined)[]): Promise<void> {
  await Promise.allSettled(children.map((c) => c?.stop()));
}
