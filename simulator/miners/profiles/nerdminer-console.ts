/**
 * What NerdMiner prints on its serial console (115200 8N1), from src/NerdMinerV2.ino.cpp,
 * src/mining.cpp, src/stratum.cpp and src/monitor.cpp. `Serial.println(payload)` on a payload that
 * already ends in "\n" prints an empty line after it; those empty lines are kept.
 */
import { arduinoFloat } from '../c-format.js';

export function bootLines(poolHost: string, ip = '192.168.4.2'): string[] {
  return [
    'NerdMiner v2 starting......',
    'SPIFS: Loading config file',
    'WiFi connected',
    `IP address: ${ip}`,
    `PoolString: ${poolHost}`,
    'Initiating tasks...',
    '[MONITOR] started',
    '',
    '',
    '[WORKER] Started. Running (Stratum) on core 1',
    '[MINER] 0 Started minerWorkerSw Task!',
  ];
}

export const CONNECTING = 'Client not connected, trying to connect...';
export const cannotConnect = (pool: string): string => `Imposible to connect to : ${pool}`;
export const MINING_SUBSCRIBE = '[WORKER] ==> Mining subscribe';
export const AUTHORIZE_WORK = '[WORKER] ==> Autorize work';
export const WORK_ABORTED = '[WORKER] >>>>>>>>> Work aborted';
export const PARSING_NOTIFY = '    Parsing Method [MINING NOTIFY]';
export const PARSING_DIFFICULTY = '    Parsing Method [SET DIFFICULTY]';
export const PARSED_UNKNOWN = '  Parsed JSON: unknown';
export const UNKNOWN_EXTRANONCE2 = 'Unknown extranonce2';
export const STALLED =
  '  Detected more than 2 min without data form stratum server. Closing socket and reopening...';

/** `Serial.print("  Sending  : "); Serial.println(payload)` with the payload's own "\n". */
export function sendingWithBlank(line: string): string[] {
  return [`  Sending  : ${line}`, ''];
}

/** `Serial.print("  Sending  : "); Serial.print(payload)`. */
export function sending(line: string): string[] {
  return [`  Sending  : ${line}`];
}

export const receiving = (line: string): string => `  Receiving: ${line}`;

export function subscribeDetails(subDetails: string, extranonce1: string, extranonce2Size: number): string[] {
  return [
    `    sub_details: ${subDetails}`,
    `    extranonce1: ${extranonce1}`,
    `    extranonce2_size: ${extranonce2Size}`,
  ];
}

export const difficultyLine = (d: number): string => `    difficulty: ${arduinoFloat(d, 12)}`;
export const targetLine = (targetHex: string): string => `    target: ${targetHex}`;

export function txShareLines(shareDifficulty: number, poolDifficulty: number, hashHex: string): string[] {
  return [
    `   - Current diff share: ${arduinoFloat(shareDifficulty, 12)}`,
    `   - Current pool diff : ${arduinoFloat(poolDifficulty, 12)}`,
    `   - TX SHARE: ${hashHex}`,
  ];
}

/** checkError: `Serial.printf("ERROR: %d | reason: %s \n", ...)` (note the space before the newline). */
export const errorLine = (code: number, reason: string): string => `ERROR: ${code} | reason: ${reason} `;
export const refuseLine = (id: number): string => `Refuse submition ${id}`;
export const BLOCK_FOUND = 'CONGRATULATIONS! Valid block found';

/** monitor.cpp, once a second: shares are 32-bit shares (hash with 32 leading zero bits). */
export function hashrateLine(shares32: number, totalKHashes: number, khs: number): string {
  return `>>> Completed ${shares32} share(s), ${Math.floor(totalKHashes)} Khashes, avg. hashrate ${khs.toFixed(2)} KH/s`;
}
