import type { JobParams } from '../../stratum/index.js';
import type { PoolOptions } from './pool-options.js';
import type { WorkOrigin } from './work-origins.js';

/** The options a recording keeps so a replay can start the same pool (`target.pool` in its header). */
export const RECORDABLE_OPTIONS = [
  'difficulty',
  'minDifficulty',
  'maxDifficulty',
  'extranonce1Size',
  'extranonce2Size',
  'jobIntervalSeconds',
  'blockIntervalSeconds',
  'versionMask',
  'transactions',
] as const satisfies readonly (keyof PoolOptions)[];

export type RecordableOptions = Pick<PoolOptions, (typeof RECORDABLE_OPTIONS)[number]>;

/** What the control routes act on: the running pool. */
export interface ControlSource {
  readonly url: string;
  readonly options: PoolOptions;
  readonly timersPaused: boolean;
  newJob(): JobParams;
  newBlock(): JobParams;
  jobOrigin(jobId: string): WorkOrigin;
  setTimersPaused(paused: boolean): void;
}

export interface RouteAnswer {
  status: number;
  body: unknown;
}

/**
 * The pool's control API, for record and replay tools: `GET /options` (what a recording keeps),
 * `GET /jobs/ID` (was this job broadcast as new work?), `POST /new-job`, `POST /new-block`,
 * `POST /timers/pause` and `POST /timers/resume`. Undefined for any other path.
 */
export function controlRoute(pool: ControlSource, method: string, path: string): RouteAnswer | undefined {
  const get = method === 'GET' || method === 'HEAD';
  if (path === '/options') {
    return get ? { status: 200, body: { url: pool.url, ...recordableOptions(pool.options) } } : onlyGet();
  }
  const job = /^\/jobs\/([0-9a-fA-F]{1,16})$/.exec(path);
  if (job !== null) {
    const jobId = job[1] as string;
    return get ? { status: 200, body: { jobId, origin: pool.jobOrigin(jobId) } } : onlyGet();
  }
  const action = ACTIONS[path];
  if (action === undefined) return undefined;
  if (method !== 'POST') return { status: 405, body: { error: `${path} takes POST` } };
  return { status: 200, body: action(pool) };
}

const ACTIONS: Record<string, (pool: ControlSource) => unknown> = {
  '/new-job': (pool) => work(pool.newJob()),
  '/new-block': (pool) => work(pool.newBlock()),
  '/timers/pause': (pool) => {
    pool.setTimersPaused(true);
    return { paused: pool.timersPaused };
  },
  '/timers/resume': (pool) => {
    pool.setTimersPaused(false);
    return { paused: pool.timersPaused };
  },
};

export function recordableOptions(options: PoolOptions): RecordableOptions {
  return Object.fromEntries(RECORDABLE_OPTIONS.map((k) => [k, options[k]])) as RecordableOptions;
}

function work(params: JobParams): unknown {
  return { jobId: params.jobId, cleanJobs: params.cleanJobs };
}

function onlyGet(): RouteAnswer {
  return { status: 405, body: { error: 'only GET' } };
}
