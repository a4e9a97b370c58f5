import { stripAnsi } from './ansi.js';
import type { ConsoleEvent } from './console-events.js';
import { WIFI_MANAGER_PREFIX } from './line-normaliser.js';
import { parseEspIdfLine } from './parse-esp-idf.js';
import { parseNerdMinerLine } from './parse-nerdminer.js';

/** The ESP32 mask ROM's banner after a reset (before any firmware runs). */
const ROM_RULES: readonly (readonly [RegExp, (m: RegExpExecArray) => string | undefined])[] = [
  [/^rst:0x[0-9a-fA-F]+ \(([A-Z0-9_]+)\)/, (m) => m[1]],
  [/^ets [A-Z][a-z]{2} +\d{1,2} \d{4}/, () => undefined],
  [/^ESP-ROM:\S+/, () => undefined],
];

const WIFI_MANAGER_LINE = /^\*wm:(?:\[(\d+)\] )?(.*)$/;

/**
 * One console line to a typed event: ANSI colours stripped; ESP-IDF log lines (Bitaxe) first, then
 * the ESP32 ROM banner, WiFiManager `*wm:` lines and NerdMiner's formats; anything else is kept as
 * `{ kind: 'unknown', line }`. Pure: no state, no I/O.
 */
export function parseConsoleLine(rawLine: string): ConsoleEvent {
  const line = stripAnsi(rawLine).replace(/[\r\n]+$/, '');
  if (line.trim() === '') return { kind: 'blank', line };

  const esp = parseEspIdfLine(line);
  if (esp !== undefined) return esp;

  for (const [pattern, reason] of ROM_RULES) {
    const m = pattern.exec(line);
    if (m === null) continue;
    const resetReason = reason(m);
    return { kind: 'boot', stage: 'rom', ...(resetReason !== undefined && { resetReason }), line };
  }

  if (line.startsWith(WIFI_MANAGER_PREFIX)) {
    const m = WIFI_MANAGER_LINE.exec(line)!;
    return {
      kind: 'wifi-manager',
      ...(m[1] !== undefined && { level: Number(m[1]) }),
      message: m[2]!.trim(),
      line,
    };
  }

  return parseNerdMinerLine(line) ?? { kind: 'unknown', line };
}
