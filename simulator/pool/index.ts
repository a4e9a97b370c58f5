export { startPool, PoolServer, DEFAULT_SEEN_SHARES, DEFAULT_REQUEST_TIMEOUT_MS } from './pool-server.js';
export type {
  PoolSimulator,
  PoolEvents,
  SessionFilter,
  SessionClosedInfo,
  StartPoolOptions,
} from './pool-server.js';
export * from './pool-options.js';
export type { PoolStats, PoolTotals, WorkerStats, RejectReason, ShareOutcome } from './pool-books.js';
export { PoolBooks, DEFAULT_MAX_WORKERS, OVERFLOW_WORKER } from './pool-books.js';
export type { ShareEvent, SessionEffects } from './pool-context.js';
export type { SessionInfo, SessionCloseReason } from './pool-session.js';
export { MAX_WORKERS_PER_SESSION } from './pool-session.js';
export type { PoolJob, JobLookup } from './job-book.js';
export { JobBook, DEFAULT_STALE_MEMORY } from './job-book.js';
export { JobFactory } from './job-factory.js';
export type { JobFactoryOptions, BlockState, MakeJobOptions } from './job-factory.js';
export * from './coinbase.js';
export type { FaultController, FaultEvent, FaultInfo } from './faults/fault-engine.js';
export * from './faults/fault-spec.js';
export { ScenarioError, parseScenario, loadScenarioFile, parseFaultSpec } from './faults/scenario-file.js';
export type { Scenario } from './faults/scenario-file.js';
export { oversizeLine } from './faults/fault-actions.js';
export { startStatsHttp } from './stats-http.js';
export type { StatsHttpServer, StatsSource } from './stats-http.js';
export { controlRoute, recordableOptions, RECORDABLE_OPTIONS } from './control-routes.js';
export type { ControlSource, RecordableOptions } from './control-routes.js';
export type { WorkOrigin } from './work-origins.js';
export { registerPoolCommand } from './pool-command.js';
