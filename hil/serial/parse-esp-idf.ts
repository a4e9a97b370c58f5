import type { ConsoleEvent, EspLogHeader, EspLogLevel } from './console-events.js';
import { parseJsonPayload } from './json-payload.js';

/** ESP-IDF's LOG_FORMAT: `<L> (<ms>) <tag>: <message>`; Wi-Fi driver lines omit the space after the colon. */
const ESP_LOG_LINE = /^([EWIDV]) \((\d+|\d{1,2}:\d{2}:\d{2}\.\d{3})\) ([^:]+?):\s?(.*)$/;

type Build = (m: RegExpExecArray, base: { line: string; esp: EspLogHeader }) => ConsoleEvent;
type Rule = readonly [RegExp, Build];

/**
 * Bitaxe ESP-Miner messages (components/stratum/stratum_api.c, main/tasks/stratum_task.c and
 * stratum_v1_task.c, main/tasks/asic_result_task.c, main/system.c, main/main.c, wifi_station),
 * matched on the message whatever the tag, since tags moved between files across versions.
 */
const RULES: readonly Rule[] = [
  [/^tx: (\{.*)$/, (m, b) => ({ kind: 'stratum-tx', payload: parseJsonPayload(m[1]!), ...b })],
  [/^rx: (\{.*)$/, (m, b) => ({ kind: 'stratum-rx', payload: parseJsonPayload(m[1]!), ...b })],
  [/^message result accepted/, (_m, b) => ({ kind: 'share-result', accepted: true, ...b })],
  [
    /^message result rejected:? ?(.*)$/,
    (m, b) => ({ kind: 'share-result', accepted: false, reason: m[1]!.trim(), ...b }),
  ],
  [/^setup message accepted/, (_m, b) => ({ kind: 'setup-result', accepted: true, ...b })],
  [
    /^setup message rejected:? ?(.*)$/,
    (m, b) => ({ kind: 'setup-result', accepted: false, reason: m[1]!.trim(), ...b }),
  ],
  [/^Welcome to the bitaxe/i, (_m, b) => ({ kind: 'boot', stage: 'app', firmware: 'bitaxe', ...b })],
  [/^ESP-IDF \S+ 2nd stage bootloader/, (_m, b) => ({ kind: 'boot', stage: 'bootloader', ...b })],
  [
    /^Set (?:stratum |pool )?difficulty: ([\d.]+)/,
    (m, b) => ({ kind: 'difficulty', difficulty: Number(m[1]), ...b }),
  ],
  [
    /^Set extranonce: (\S+), extranonce_2_len: (\d+)/,
    (m, b) => ({ kind: 'extranonce', extranonce1: m[1]!, extranonce2Size: Number(m[2]), ...b }),
  ],
  [/^extranonce_str: (\S+)/, (m, b) => ({ kind: 'extranonce', extranonce1: m[1]!, ...b })],
  [/^extranonce_2_len: (\d+)/, (m, b) => ({ kind: 'extranonce', extranonce2Size: Number(m[1]), ...b })],
  [
    /^(?:Set version mask|Configure result accepted, version mask): ([0-9a-fA-F]+)/,
    (m, b) => ({ kind: 'version-mask', mask: m[1]!.toLowerCase(), ...b }),
  ],
  [
    /^Connecting to: stratum\+\w+:\/\/([^:\s]+):(\d+)(?: \(([^)]*)\))?/,
    (m, b) => ({
      kind: 'pool-connecting',
      host: m[1]!,
      port: Number(m[2]),
      ...(m[3] !== undefined && { ip: m[3] }),
      ...b,
    }),
  ],
  [
    /^(?:Transport|Socket) unable to connect to (\S+?):?\d*\s/,
    (m, b) => ({ kind: 'pool-connect-failed', pool: m[1]!, ...b }),
  ],
  [
    /^(Shutting down socket and restarting|Failed to receive JSON-RPC line|Pool requested client reconnect)/,
    (m, b) => ({ kind: 'pool-disconnected', reason: m[1]!, ...b }),
  ],
  [/^Connected to SSID: (.*)$/, (m, b) => ({ kind: 'wifi-connected', ssid: m[1]!.trim(), ...b })],
  [/^(?:Bitaxe ip|sta ip): ([\d.]+)/, (m, b) => ({ kind: 'ip-address', ip: m[1]!, ...b })],
  [
    /^ID: (\S+), ASIC nr: (\d+), ver: ([0-9A-Fa-f]+) Nonce ([0-9A-Fa-f]+) diff ([\d.]+) of (\d+)/,
    (m, b) => ({
      kind: 'asic-nonce',
      jobId: m[1]!,
      asic: Number(m[2]),
      version: m[3]!.toLowerCase(),
      nonce: m[4]!.toLowerCase(),
      difficulty: Number(m[5]),
      poolDifficulty: Number(m[6]),
      ...b,
    }),
  ],
  [
    /^FOUND BLOCK!+ ?([\d.]+) > ([\d.]+)/,
    (m, b) => ({ kind: 'block-found', difficulty: Number(m[1]), networkDifficulty: Number(m[2]), ...b }),
  ],
];

/** The header of an ESP-IDF log line (ANSI already stripped), or undefined if it is not one. */
export function parseEspLogHeader(line: string): { esp: EspLogHeader; message: string } | undefined {
  const m = ESP_LOG_LINE.exec(line);
  if (m === null) return undefined;
  const time = m[2]!;
  const esp: EspLogHeader = {
    level: m[1] as EspLogLevel,
    time,
    ...(/^\d+$/.test(time) && { ms: Number(time) }),
    tag: m[3]!,
  };
  return { esp, message: m[4]! };
}

/** The event for an ESP-IDF log line: a Bitaxe message, else `esp-log`; undefined if not ESP-IDF. */
export function parseEspIdfLine(line: string): ConsoleEvent | undefined {
  const header = parseEspLogHeader(line);
  if (header === undefined) return undefined;
  const base = { line, esp: header.esp };
  for (const [pattern, build] of RULES) {
    const m = pattern.exec(header.message);
    if (m !== null) return build(m, base);
  }
  return { kind: 'esp-log', message: header.message, ...base };
}
