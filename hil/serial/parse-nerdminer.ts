import type { ConsoleEvent, PoolSettingKey } from './console-events.js';
import { parseJsonPayload } from './json-payload.js';
import { parseArduinoFloat, parseDecimal } from './numbers.js';

type Rule = readonly [RegExp, (m: RegExpExecArray, line: string) => ConsoleEvent | undefined];

const POOL_SETTINGS: Record<string, PoolSettingKey> = {
  PoolString: 'pool',
  portNumber: 'port',
  poolPassword: 'password',
  btcString: 'wallet',
  'TimeZone fromUTC': 'timezone',
};

const bool = (s: string | undefined): boolean => s === 'true';

/**
 * NerdMiner_v2 console lines (Arduino Serial.print/printf; sources: src/NerdMinerV2.ino.cpp,
 * src/wManager.cpp, src/drivers/storage/nvMemory.cpp, src/mining.cpp, src/stratum.cpp,
 * src/utils.cpp, src/monitor.cpp and the display drivers), tried in order, first match wins.
 */
const RULES: readonly Rule[] = [
  [/^NerdMiner v2 starting/, (_m, line) => ({ kind: 'boot', stage: 'app', firmware: 'nerdminer', line })],
  [/^SPIFS: Loading config file/, (_m, line) => ({ kind: 'config-loaded', source: 'spiffs', line })],
  [/^WiFi connected\s*$/, (_m, line) => ({ kind: 'wifi-connected', line })],
  [/^CONNECTED - Current ip: (\S+)/, (m, line) => ({ kind: 'wifi-connected', ip: m[1]!, line })],
  [/^IP address: (\S+)/, (m, line) => ({ kind: 'ip-address', ip: m[1]!, line })],
  [/^\[Error\] - current status: (\d+)/, (m, line) => ({ kind: 'wifi-status', status: Number(m[1]), line })],
  [
    /^(PoolString|portNumber|poolPassword|btcString|TimeZone fromUTC): ?(.*)$/,
    (m, line) => ({ kind: 'pool-setting', key: POOL_SETTINGS[m[1]!]!, value: m[2]!.trim(), line }),
  ],
  [/^Initiating tasks\.\.\./, (_m, line) => ({ kind: 'tasks-initiating', line })],
  [/^\[MONITOR\] started/, (_m, line) => ({ kind: 'task-started', task: 'monitor', line })],
  [
    /^\[WORKER\] Started\. Running .* on core (\d+)/,
    (m, line) => ({ kind: 'task-started', task: 'stratum', core: Number(m[1]), line }),
  ],
  [
    /^\[MINER\] (\d+) Started minerWorker(Sw|Hw) Task!/,
    (m, line) => ({
      kind: 'task-started',
      task: 'miner',
      minerId: Number(m[1]),
      engine: m[2] === 'Hw' ? 'hw' : 'sw',
      line,
    }),
  ],
  [/^Client not connected, trying to connect/, (_m, line) => ({ kind: 'pool-connecting', line })],
  [
    /^Resolved DNS (and save ip \(first time\) )?got: (\S+)/,
    (m, line) => ({ kind: 'pool-resolved', ip: m[2]!, first: m[1] !== undefined, line }),
  ],
  [
    /^Imposible to connect to : ?(.*)$/,
    (m, line) => ({ kind: 'pool-connect-failed', pool: m[1]!.trim(), line }),
  ],
  [/^\[WORKER\] ==> Mining subscribe/, (_m, line) => ({ kind: 'subscribe-sent', line })],
  [/^\[WORKER\] ==> Autorize work/, (_m, line) => ({ kind: 'authorize-sent', line })],
  [/^\[WORKER\] >{2,} Work aborted/, (_m, line) => ({ kind: 'subscribe-aborted', line })],
  [/^\s*Sending\s*: KeepAlive suggest_difficulty/, (_m, line) => ({ kind: 'keepalive', line })],
  [/^\s*Sending\s*: ?(.*)$/, (m, line) => ({ kind: 'stratum-tx', payload: parseJsonPayload(m[1]!), line })],
  [/^\s*Receiving: ?(.*)$/, (m, line) => ({ kind: 'stratum-rx', payload: parseJsonPayload(m[1]!), line })],
  [/^\s*sub_details: ?(.*)$/, (m, line) => ({ kind: 'subscribe-details', details: m[1]!.trim(), line })],
  [/^\s*extranonce1: ?(.*)$/, (m, line) => ({ kind: 'extranonce', extranonce1: m[1]!.trim(), line })],
  [
    /^\s*extranonce2_size: ?(\d+)/,
    (m, line) => ({ kind: 'extranonce', extranonce2Size: Number(m[1]), line }),
  ],
  [
    /^\s*Parsing Method \[(MINING NOTIFY|SET DIFFICULTY)\]/,
    (m, line) => ({
      kind: 'parsing-method',
      method: m[1] === 'MINING NOTIFY' ? 'mining.notify' : 'mining.set_difficulty',
      line,
    }),
  ],
  [/^\s*target: ([0-9a-fA-F]{64})\s*$/, (m, line) => ({ kind: 'target', target: m[1]!.toLowerCase(), line })],
  [
    /^\s*difficulty: (\S+)/,
    (m, line) => number(m[1]!, (difficulty) => ({ kind: 'difficulty', difficulty, line })),
  ],
  [
    /^\s*- Current diff share: (\S+)/,
    (m, line) => number(m[1]!, (difficulty) => ({ kind: 'share-diff', difficulty, line })),
  ],
  [
    /^\s*- Current pool diff\s*: (\S+)/,
    (m, line) => number(m[1]!, (difficulty) => ({ kind: 'share-pool-diff', difficulty, line })),
  ],
  [
    /^\s*- TX SHARE: ([0-9a-fA-F]{64})/,
    (m, line) => ({ kind: 'share-hash', hash: m[1]!.toLowerCase(), line }),
  ],
  [
    /^ERROR: (-?\d+) \| reason: ?(.*?)\s*$/,
    (m, line) => ({ kind: 'stratum-error', code: Number(m[1]), reason: m[2]!, line }),
  ],
  [/^Refuse submi(?:t|ss)ion (\d+)/, (m, line) => ({ kind: 'share-refused', id: Number(m[1]), line })],
  [/CONGRATULATIONS! Valid block found/, (_m, line) => ({ kind: 'block-found', line })],
  [
    /^>>> Completed ([\d,]+) share\(s\), ([\d,]+) Khashes, avg\. hashrate ([\d,.]+) KH\/s/,
    (m, line) => {
      const shares = parseDecimal(m[1]!);
      const khashes = parseDecimal(m[2]!);
      const khps = parseDecimal(m[3]!);
      if (shares === undefined || khashes === undefined || khps === undefined) return undefined;
      return { kind: 'hashrate', shares, khashes, khps, line };
    },
  ],
  [
    /^>>> \[i\] Miner: newJob>(\w+) \/ inRun>(\w+)\) - Client: connected>(\w+) \/ subscribed>(\w+) \/ wificonnected>(\w+)/,
    (m, line) => ({
      kind: 'miner-status',
      newJob: bool(m[1]),
      inRun: bool(m[2]),
      connected: bool(m[3]),
      subscribed: bool(m[4]),
      wifiConnected: bool(m[5]),
      line,
    }),
  ],
  [/Detected more than 2 min without data form stratum server/, (_m, line) => ({ kind: 'pool-stall', line })],
  [/^\s*Parsed JSON: unknown/, (_m, line) => ({ kind: 'ignored-message', line })],
  [/^\s*Parsed JSON: error on JSON/, (_m, line) => ({ kind: 'parse-error', detail: 'json', line })],
  [/^Parsing error, need restart/, (_m, line) => ({ kind: 'parse-error', detail: 'notify', line })],
];

function number<E extends ConsoleEvent>(text: string, build: (n: number) => E): E | undefined {
  const n = parseArduinoFloat(text);
  return n === undefined ? undefined : build(n);
}

/** The event for a NerdMiner console line, or undefined when no NerdMiner format matches. */
export function parseNerdMinerLine(line: string): ConsoleEvent | undefined {
  for (const [pattern, build] of RULES) {
    const m = pattern.exec(line);
    if (m === null) continue;
    const event = build(m, line);
    if (event !== undefined) return event;
  }
  return undefined;
}
