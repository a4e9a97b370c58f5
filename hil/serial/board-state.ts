import type { ConsoleEvent, Firmware, StratumRxEvent, StratumTxEvent } from './console-events.js';

/** Requests remembered (by id) to match responses; the oldest is forgotten past this. */
export const DEFAULT_PENDING_REQUESTS = 64;

export interface JobSummary {
  readonly jobId?: string;
  readonly prevhash?: string;
  readonly ntime?: string;
  readonly cleanJobs?: boolean;
  readonly at: number;
}

export interface ShareSummary {
  readonly difficulty?: number;
  readonly poolDifficulty?: number;
  readonly hash?: string;
  readonly at: number;
}

export interface RejectSummary {
  readonly id?: number | string;
  readonly code?: number;
  readonly reason?: string;
  readonly at: number;
}

/** When things last happened (Clock milliseconds). */
export interface BoardTimes {
  lastLine?: number;
  boot?: number;
  wifiConnected?: number;
  poolConnected?: number;
  subscribed?: number;
  authorized?: number;
  lastJob?: number;
  difficulty?: number;
  lastTx?: number;
  lastRx?: number;
  lastShareSent?: number;
  lastAccepted?: number;
  lastRejected?: number;
  hashrate?: number;
  keepalive?: number;
  stall?: number;
}

/**
 * What a board's console says about it. Session fields (connection, subscription, job, difficulty)
 * reset when the board boots; counters are cumulative for the BoardConsole's lifetime.
 */
export interface BoardState {
  firmware?: Firmware;
  /** Application starts seen ("NerdMiner v2 starting", "Welcome to the bitaxe"). */
  boots: number;
  resetReason?: string;
  wifiConnected: boolean;
  ip?: string;
  poolConnected: boolean;
  subscribed: boolean;
  authorized: boolean;
  extranonce1?: string;
  extranonce2Size?: number;
  versionMask?: string;
  difficulty?: number;
  target?: string;
  lastJob?: JobSummary;
  jobsReceived: number;
  sharesSent: number;
  /** Pool answered result true with no error (NerdMiner itself also counts result:false as success). */
  sharesAccepted: number;
  sharesRejected: number;
  lastReject?: RejectSummary;
  lastShare?: ShareSummary;
  lastStratumError?: { code: number; reason: string; at: number };
  blocksFound: number;
  /** NerdMiner's reported average, kH/s. */
  hashrateKhs?: number;
  /** NerdMiner's "Completed N share(s)" (its own count of accepted 32-bit shares). */
  reportedShares?: number;
  totalKHashes?: number;
  keepalives: number;
  stalls: number;
  connectFailures: number;
  /** Pool messages the firmware said it ignored ("Parsed JSON: unknown"). */
  ignoredMessages: number;
  lines: number;
  unknownLines: number;
  times: BoardTimes;
}

export function initialBoardState(): BoardState {
  return {
    boots: 0,
    wifiConnected: false,
    poolConnected: false,
    subscribed: false,
    authorized: false,
    jobsReceived: 0,
    sharesSent: 0,
    sharesAccepted: 0,
    sharesRejected: 0,
    blocksFound: 0,
    keepalives: 0,
    stalls: 0,
    connectFailures: 0,
    ignoredMessages: 0,
    lines: 0,
    unknownLines: 0,
    times: {},
  };
}

type Handler<E extends ConsoleEvent = ConsoleEvent> = (
  tracker: BoardStateTracker,
  event: E,
  at: number,
) => void;
type Handlers = { [K in ConsoleEvent['kind']]?: Handler<Extract<ConsoleEvent, { kind: K }>> };

/**
 * Folds console events into a BoardState. No I/O and no clock: the caller passes the time.
 * Stratum requests the board sent are remembered by id so the pool's answers (which the firmware
 * echoes as "Receiving:" / "rx:") can be matched to subscribe, authorize and submit.
 */
export class BoardStateTracker {
  state: BoardState = initialBoardState();
  private readonly pending = new Map<string, string>();
  /** A submit answered through its rx line; the firmware's own result line that follows is not counted again. */
  private submitResolvedByRx = false;
  /** A notify already counted from its rx line; NerdMiner's "Parsing Method" line that follows is not. */
  private notifyCountedFromRx = false;

  constructor(private readonly pendingLimit = DEFAULT_PENDING_REQUESTS) {}

  apply(event: ConsoleEvent, at: number): void {
    const s = this.state;
    s.lines++;
    s.times.lastLine = at;
    const handler = HANDLERS[event.kind] as Handler | undefined;
    handler?.(this, event, at);
  }

  /** Forgets the session (not the counters): the board restarted. */
  resetSession(): void {
    const s = this.state;
    s.wifiConnected = false;
    s.poolConnected = false;
    s.subscribed = false;
    s.authorized = false;
    for (const key of [
      'ip',
      'extranonce1',
      'extranonce2Size',
      'versionMask',
      'difficulty',
      'target',
      'lastJob',
      'hashrateKhs',
    ] as const) {
      delete s[key];
    }
    this.pending.clear();
    this.submitResolvedByRx = false;
    this.notifyCountedFromRx = false;
  }

  disconnected(): void {
    this.state.poolConnected = false;
    this.state.subscribed = false;
    this.state.authorized = false;
    this.pending.clear();
  }

  connected(at: number): void {
    if (!this.state.poolConnected) this.state.times.poolConnected = at;
    this.state.poolConnected = true;
  }

  tx(event: StratumTxEvent, at: number): void {
    const s = this.state;
    const { id, method } = event.payload;
    this.connected(at);
    s.times.lastTx = at;
    s.firmware ??= event.esp !== undefined ? 'bitaxe' : 'nerdminer';
    if (method === undefined) return;
    if (id !== undefined && id !== null) {
      this.pending.set(String(id), method);
      if (this.pending.size > this.pendingLimit) this.pending.delete(this.pending.keys().next().value!);
    }
    if (method === 'mining.subscribe') s.subscribed = false;
    if (method === 'mining.submit') {
      s.sharesSent++;
      s.times.lastShareSent = at;
    }
  }

  rx(event: StratumRxEvent, at: number): void {
    const s = this.state;
    const { payload } = event;
    this.connected(at);
    s.times.lastRx = at;
    this.submitResolvedByRx = false;
    const msg = asObject(payload.json);
    if (payload.method !== undefined) {
      this.serverMethod(payload.method, asArray(msg?.['params']), at);
      return;
    }
    if (payload.id === undefined || payload.id === null) return;
    const key = String(payload.id);
    const request = this.pending.get(key);
    if (request === undefined || msg === undefined) return;
    // A cut-off answer only counts when both of its verdict fields survived.
    if (payload.truncated && !('result' in msg && 'error' in msg)) return;
    this.pending.delete(key);
    this.response(request, payload.id, msg['result'], msg['error'], at);
  }

  private serverMethod(method: string, params: unknown[] | undefined, at: number): void {
    const s = this.state;
    if (method === 'mining.notify') {
      s.jobsReceived++;
      s.times.lastJob = at;
      this.notifyCountedFromRx = true;
      s.lastJob = {
        at,
        ...(typeof params?.[0] === 'string' && { jobId: params[0] }),
        ...(typeof params?.[1] === 'string' && { prevhash: params[1] }),
        ...(typeof params?.[7] === 'string' && { ntime: params[7] }),
        ...(typeof params?.[8] === 'boolean' && { cleanJobs: params[8] }),
      };
    } else if (method === 'mining.set_difficulty' && typeof params?.[0] === 'number') {
      s.difficulty = params[0];
      s.times.difficulty = at;
    } else if (method === 'mining.set_extranonce' && typeof params?.[0] === 'string') {
      s.extranonce1 = params[0];
      if (typeof params[1] === 'number') s.extranonce2Size = params[1];
    }
  }

  private response(request: string, id: number | string, result: unknown, error: unknown, at: number): void {
    const s = this.state;
    const ok = error === null || error === undefined;
    if (request === 'mining.subscribe' && ok && Array.isArray(result)) {
      if (typeof result[1] === 'string') s.extranonce1 = result[1];
      if (typeof result[2] === 'number') s.extranonce2Size = result[2];
      this.subscribed(at);
    } else if (request === 'mining.authorize') {
      s.authorized = ok && result === true;
      if (s.authorized) s.times.authorized = at;
    } else if (request === 'mining.submit') {
      this.submitResolvedByRx = true;
      if (ok && result === true) this.accepted(at);
      else this.rejected(at, { id, ...describeError(error) });
    }
  }

  subscribed(at: number): void {
    if (!this.state.subscribed) this.state.times.subscribed = at;
    this.state.subscribed = true;
  }

  accepted(at: number): void {
    this.state.sharesAccepted++;
    this.state.times.lastAccepted = at;
  }

  rejected(at: number, detail: Omit<RejectSummary, 'at'>): void {
    this.state.sharesRejected++;
    this.state.times.lastRejected = at;
    this.state.lastReject = { ...detail, at };
  }

  /** NerdMiner's "Parsing Method [MINING NOTIFY]": counts a job only if its rx line did not parse. */
  notifyParsed(at: number): void {
    if (this.notifyCountedFromRx) {
      this.notifyCountedFromRx = false;
      return;
    }
    this.state.jobsReceived++;
    this.state.times.lastJob = at;
    this.state.lastJob = { at };
  }

  /** NerdMiner's "Refuse submition <id>": counts only a submit not already answered through rx. */
  refused(id: number, at: number): void {
    const key = String(id);
    if (this.pending.get(key) !== 'mining.submit') return;
    this.pending.delete(key);
    const err = this.state.lastStratumError;
    this.rejected(at, { id, ...(err !== undefined && { code: err.code, reason: err.reason }) });
  }

  /** Bitaxe's "message result accepted/rejected" line: counts only when its rx line did not resolve it. */
  shareResult(accepted: boolean, reason: string | undefined, at: number): void {
    if (this.submitResolvedByRx) {
      this.submitResolvedByRx = false;
      return;
    }
    if (accepted) this.accepted(at);
    else this.rejected(at, reason === undefined ? {} : { reason });
  }
}

const HANDLERS: Handlers = {
  boot: (t, e, at) => {
    t.resetSession();
    if (e.firmware !== undefined) t.state.firmware = e.firmware;
    if (e.resetReason !== undefined) t.state.resetReason = e.resetReason;
    if (e.stage === 'app') {
      t.state.boots++;
      t.state.times.boot = at;
    }
  },
  'wifi-connected': (t, e, at) => {
    if (!t.state.wifiConnected) t.state.times.wifiConnected = at;
    t.state.wifiConnected = true;
    if (e.ip !== undefined) t.state.ip = e.ip;
  },
  'ip-address': (t, e) => {
    t.state.ip = e.ip;
  },
  'wifi-status': (t, e) => {
    // Arduino's wl_status_t: 3 is WL_CONNECTED.
    t.state.wifiConnected = e.status === 3;
  },
  'pool-connecting': (t) => t.disconnected(),
  'pool-connect-failed': (t) => {
    t.state.connectFailures++;
    t.disconnected();
  },
  'pool-disconnected': (t) => t.disconnected(),
  'pool-stall': (t, _e, at) => {
    t.state.stalls++;
    t.state.times.stall = at;
    t.disconnected();
  },
  'subscribe-sent': (t, _e, at) => {
    t.connected(at);
    t.state.subscribed = false;
  },
  keepalive: (t, _e, at) => {
    t.state.keepalives++;
    t.state.times.keepalive = at;
  },
  'stratum-tx': (t, e, at) => t.tx(e, at),
  'stratum-rx': (t, e, at) => t.rx(e, at),
  extranonce: (t, e, at) => {
    if (e.extranonce1 !== undefined) t.state.extranonce1 = e.extranonce1;
    if (e.extranonce2Size !== undefined) t.state.extranonce2Size = e.extranonce2Size;
    if (e.extranonce1 !== undefined && e.extranonce1 !== '') t.subscribed(at);
  },
  'subscribe-aborted': (t) => {
    t.state.subscribed = false;
  },
  'version-mask': (t, e) => {
    t.state.versionMask = e.mask;
  },
  'parsing-method': (t, e, at) => {
    if (e.method === 'mining.notify') t.notifyParsed(at);
  },
  target: (t, e) => {
    t.state.target = e.target;
  },
  difficulty: (t, e, at) => {
    t.state.difficulty = e.difficulty;
    t.state.times.difficulty = at;
  },
  'share-diff': (t, e, at) => {
    t.state.lastShare = { difficulty: e.difficulty, at };
  },
  'share-pool-diff': (t, e, at) => {
    t.state.lastShare = { ...t.state.lastShare, poolDifficulty: e.difficulty, at };
  },
  'share-hash': (t, e, at) => {
    t.state.lastShare = { ...t.state.lastShare, hash: e.hash, at };
  },
  'asic-nonce': (t, e, at) => {
    if (e.difficulty >= e.poolDifficulty) {
      t.state.lastShare = { difficulty: e.difficulty, poolDifficulty: e.poolDifficulty, at };
    }
  },
  'stratum-error': (t, e, at) => {
    t.state.lastStratumError = { code: e.code, reason: e.reason, at };
  },
  'share-refused': (t, e, at) => t.refused(e.id, at),
  'share-result': (t, e, at) => t.shareResult(e.accepted, e.reason, at),
  'block-found': (t) => {
    t.state.blocksFound++;
  },
  hashrate: (t, e, at) => {
    t.state.hashrateKhs = e.khps;
    t.state.reportedShares = e.shares;
    t.state.totalKHashes = e.khashes;
    t.state.times.hashrate = at;
  },
  'miner-status': (t, e, at) => {
    t.state.wifiConnected = e.wifiConnected;
    if (e.connected) t.connected(at);
    else t.state.poolConnected = false;
    t.state.subscribed = e.subscribed;
  },
  'ignored-message': (t) => {
    t.state.ignoredMessages++;
  },
  unknown: (t) => {
    t.state.unknownLines++;
  },
};

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Stratum errors come as [code, message, traceback] or {code, message}. */
function describeError(error: unknown): { code?: number; reason?: string } {
  if (Array.isArray(error)) {
    return {
      ...(typeof error[0] === 'number' && { code: error[0] }),
      ...(typeof error[1] === 'string' && { reason: error[1] }),
    };
  }
  const obj = asObject(error);
  if (obj === undefined) return {};
  return {
    ...(typeof obj['code'] === 'number' && { code: obj['code'] }),
    ...(typeof obj['message'] === 'string' && { reason: obj['message'] }),
  };
}
