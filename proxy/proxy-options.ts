import type { UpstreamEndpoint } from './upstream/upstream-endpoint.js';
import type { UpstreamMode } from './upstream/upstream-manager.js';

/** Everything the proxy core runs on; `karoo proxy` builds it from the config file. */
export interface ProxyOptions {
  endpoints: UpstreamEndpoint[];
  upstreamMode: UpstreamMode;
  idleGraceMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  primaryProbeMs: number;
  /** How long a cold subscribe may wait for the upstream (NerdMiner gives up after 1 s). */
  coldStartWaitMs: number;
  notifyTimeoutMs: number;
  maxClients: number;
  clientIdleMs: number;
  subscribeTimeoutMs: number;
  minerLineCap: number;
  minerSendQueueBytes: number;
  strictBroadcast: boolean;
  vardiff: {
    enabled: boolean;
    targetSecondsPerShare: number;
    minDiff: number;
    maxDiff: number;
    retargetEveryMs: number;
    startDiff?: number;
  };
  userAgent: string;
  /** How often the per-worker report line is logged; 0 turns it off. */
  reportEveryMs: number;
}

export const DEFAULT_COLD_START_WAIT_MS = 750;

export function defaultProxyOptions(endpoints: UpstreamEndpoint[]): ProxyOptions {
  return {
    endpoints,
    upstreamMode: 'on-demand',
    idleGraceMs: 30_000,
    backoffMinMs: 1000,
    backoffMaxMs: 60_000,
    primaryProbeMs: 30_000,
    coldStartWaitMs: DEFAULT_COLD_START_WAIT_MS,
    notifyTimeoutMs: 5 * 60_000,
    maxClients: 1000,
    clientIdleMs: 15 * 60_000,
    subscribeTimeoutMs: 10_000,
    minerLineCap: 4096,
    minerSendQueueBytes: 256 * 1024,
    strictBroadcast: false,
    vardiff: {
      enabled: true,
      targetSecondsPerShare: 10,
      minDiff: 1e-5,
      maxDiff: 1e12,
      retargetEveryMs: 60_000,
    },
    userAgent: 'karoo/0.1.0',
    reportEveryMs: 60_000,
  };
}
