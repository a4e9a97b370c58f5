import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { HostFirmwareError } from '../errors.js';

/**
 * The NerdMiner_v2 translation units a host build compiles: the Stratum client, the mining tasks,
 * their helpers and the software SHA-256 (NerdMiner_v2 V1.8.3 `src/`). Everything else in the
 * firmware (display drivers, WiFiManager, the monitor's HTTP/NTP clients, SD card, buttons) is
 * left out; the host layer stands in for what these need of it.
 */
export const NERDMINER_SOURCES = [
  'src/stratum.cpp',
  'src/mining.cpp',
  'src/utils.cpp',
  'src/ShaTests/nerdSHA256plus.cpp',
] as const;

/** Headers the host layer's own main.cpp includes from the firmware (its tasks and settings). */
export const NERDMINER_HEADERS = ['src/mining.h', 'src/drivers/storage/storage.h'] as const;

export interface NerdMinerCheckout {
  /** Absolute path of the checkout. */
  readonly dir: string;
  /** `CURRENT_VERSION` from src/version.h, or `unknown`. */
  readonly version: string;
  readonly sources: readonly string[];
}

/** Checks that `dir` holds the NerdMiner sources a host build needs; says what is missing if not. */
export function inspectCheckout(dir: string): NerdMinerCheckout {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new HostFirmwareError(`--host-firmware: ${dir} is not a directory`);
  }
  const missing = [...NERDMINER_SOURCES, ...NERDMINER_HEADERS].filter((f) => !existsSync(join(abs, f)));
  if (missing.length > 0) {
    throw new HostFirmwareError(
      `--host-firmware: ${dir} is not a NerdMiner_v2 checkout (no ${missing.join(', ')})`,
    );
  }
  return { dir: abs, version: readVersion(abs), sources: NERDMINER_SOURCES };
}

function readVersion(dir: string): string {
  const file = join(dir, 'src', 'version.h');
  if (!existsSync(file)) return 'unknown';
  const m = /#define\s+CURRENT_VERSION\s+"([^"]{1,64})"/.exec(readFileSync(file, 'utf8'));
  return m?.[1] ?? 'unknown';
}

/**
 * The folder holding ArduinoJson.h: `explicit` if given, else what PlatformIO installed for the
 * checkout (`.pio/libdeps/<env>/ArduinoJson/src`, the first environment in name order), else a
 * project-local library (`lib/ArduinoJson/src`), else an ArduinoJson 6 (the major version
 * NerdMiner's platformio.ini pins) in PlatformIO's global library folder or the Arduino IDE's.
 */
export function findArduinoJson(checkout: string, explicit?: string, home = homedir()): string {
  if (explicit !== undefined) {
    const abs = resolve(explicit);
    for (const candidate of [abs, join(abs, 'src')]) {
      if (existsSync(join(candidate, 'ArduinoJson.h'))) return candidate;
    }
    throw new HostFirmwareError(`--arduinojson: no ArduinoJson.h in ${explicit} or ${join(explicit, 'src')}`);
  }
  const libdeps = join(checkout, '.pio', 'libdeps');
  const own = [
    ...subfolders(libdeps).map((env) => join(libdeps, env, 'ArduinoJson', 'src')),
    join(checkout, 'lib', 'ArduinoJson', 'src'),
  ];
  const globalLib = join(home, '.platformio', 'lib');
  const shared = [
    ...subfolders(globalLib)
      .filter((d) => /^ArduinoJson/.test(d))
      .map((d) => join(globalLib, d, 'src')),
    join(home, 'Arduino', 'libraries', 'ArduinoJson', 'src'),
  ];
  const found =
    own.find((c) => existsSync(join(c, 'ArduinoJson.h'))) ??
    shared.find(
      (c) => existsSync(join(c, 'ArduinoJson.h')) && arduinoJsonVersion(c)?.startsWith('6.') === true,
    );
  if (found !== undefined) return found;
  throw new HostFirmwareError(
    `--host-firmware: no ArduinoJson in ${libdeps}: run \`pio pkg install -d ${checkout}\` (the version platformio.ini pins), or give --arduinojson DIR`,
  );
}

/** ARDUINOJSON_VERSION of the library in `dir` (the folder holding ArduinoJson.h), if it says. */
export function arduinoJsonVersion(dir: string): string | undefined {
  const file = join(dir, 'ArduinoJson', 'version.hpp');
  if (!existsSync(file)) return undefined;
  return /#define\s+ARDUINOJSON_VERSION\s+"([^"]{1,32})"/.exec(readFileSync(file, 'utf8'))?.[1];
}

function subfolders(dir: string): string[] {
  return existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).sort() : [];
}
