import type { ProxyStatus } from '../api/index.js';

/**
 * GET /api/client/<address> as public-pool answers it (src/controllers/client/client.controller.ts:
 * bestDifficulty, workersCount, and per worker sessionId, name, bestDifficulty as a 2-decimal
 * string, hashRate in H/s, startTime, lastSeen). NerdMiner V1.8.3 (src/monitor.cpp, getPoolData)
 * keeps workersCount, the sum of workers[].hashRate and bestDifficulty for its screen.
 */
export interface PublicPoolClient {
  bestDifficulty?: number;
  workersCount: number;
  workers: {
    sessionId: string;
    name: string;
    bestDifficulty: string;
    hashRate: number;
    startTime: string | null;
    lastSeen: string | null;
  }[];
}

/**
 * The rack's connected workers mining to `address` (a worker name's part before the first dot,
 * as NerdMiner strips its own), in public-pool's shape. An address no worker uses gets an empty
 * list and no bestDifficulty, as public-pool answers an address it has no clients for.
 */
export function publicPoolClient(status: ProxyStatus, address: string): PublicPoolClient {
  const mine = status.workers.filter((w) => w.connected && accountOf(w.name) === address);
  const best = mine.reduce<number | null>(
    (b, w) => (w.best_share_difficulty === null ? b : Math.max(b ?? 0, w.best_share_difficulty)),
    null,
  );
  return {
    ...(best === null ? {} : { bestDifficulty: best }),
    workersCount: mine.length,
    workers: mine.map((w) => ({
      sessionId: w.extranonce1 ?? w.name,
      name: w.name.slice(address.length + 1) || w.name,
      bestDifficulty: (w.best_share_difficulty ?? 0).toFixed(2),
      hashRate: w.hashrate,
      startTime: w.connected_at === null ? null : new Date(w.connected_at).toISOString(),
      lastSeen: w.last_share_at === null ? null : new Date(w.last_share_at).toISOString(),
    })),
  };
}

function accountOf(worker: string): string {
  const dot = worker.indexOf('.');
  return dot < 0 ? worker : worker.slice(0, dot);
}
