/**
 * The proxy core, sealed: everything outside proxy/core/ imports from here only (an ESLint rule
 * keeps it so). Its state changes only through ProxyCore's methods; snapshot() is the read model.
 */
export { ProxyCore, REPORT_WORKER_LINES } from './proxy-core.js';
export type { AuthorizePolicy, CoreEvents, ProxyCoreDeps } from './proxy-core.js';
export { DEFAULT_COLD_START_WAIT_MS, DEFAULT_UPSTREAM_TIMINGS, defaultCoreOptions } from './core-options.js';
export type { CoreOptions, FrozenOptions, UpstreamMode, UpstreamTimings } from './core-options.js';
export { healthOf } from './snapshot.js';
export type {
  CoreSnapshot,
  ExtranonceSnapshot,
  MinerSnapshot,
  RetiredWorker,
  SnapshotOptions,
  UpstreamSnapshot,
} from './snapshot.js';
export type { MinerView, SessionTap } from './miner-session.js';
export { MAX_BAD_LINES, MAX_QUEUED_LINES } from './miner-session.js';
export type { MinerKind } from './miner-kind.js';
export type { LocalShareResult, PoolShareResult } from './share-desk.js';
export type { VardiffChange } from './worker-vardiff.js';
export type { DialUpstream, PoolVerdict } from './upstream/upstream-connection.js';
export type { UpstreamEndpoint } from './upstream/upstream-endpoint.js';
export { endpointLabel } from './upstream/upstream-endpoint.js';
export type { UpstreamState } from './upstream/upstream-manager.js';
export { decideReconnect } from './upstream/reconnect-policy.js';
export type { ReconnectDecision, ReconnectTarget } from './upstream/reconnect-policy.js';
