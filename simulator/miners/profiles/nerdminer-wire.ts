/**
 * NerdMiner v2 wire lines, byte for byte. Source: BitMaker-hub/NerdMiner_v2 src/stratum.cpp
 * (V1.8.x, commit e3a04b7 = V1.8.3): every line is built with sprintf, so key order, the spaces
 * after ':' and ',' and the number formats below are the firmware's, not JSON.stringify's.
 * Strings go in unescaped (%s), which is why worker names may not hold quotes.
 */
import { arduinoHex, formatG } from '../c-format.js';

export const NERDMINER_USER_AGENT = 'NerdMinerV2';
export const NERDMINER_DEFAULT_VERSION = 'V1.8.3';
/** mining.h DEFAULT_DIFFICULTY in 1.8.x (1e-4 up to 1.7.0). */
export const NERDMINER_DEFAULT_DIFFICULTY = 0.00015;

/** tx_mining_subscribe: `{"id": %u, "method": "mining.subscribe", "params": ["NerdMinerV2/%s"]}\n` */
export function nerdSubscribe(id: number, version: string): string {
  return `{"id": ${id}, "method": "mining.subscribe", "params": ["${NERDMINER_USER_AGENT}/${version}"]}`;
}

/** tx_mining_auth: `{"params": ["%s", "%s"], "id": %u, "method": "mining.authorize"}\n` */
export function nerdAuthorize(id: number, user: string, pass: string): string {
  return `{"params": ["${user}", "${pass}"], "id": ${id}, "method": "mining.authorize"}`;
}

/** tx_suggest_difficulty: `{"id":%d,"method":"mining.suggest_difficulty","params":[%.10g]}\n` */
export function nerdSuggestDifficulty(id: number, difficulty: number): string {
  return `{"id":${id},"method":"mining.suggest_difficulty","params":[${formatG(difficulty, 10)}]}`;
}

/**
 * tx_mining_submit: `{"id":%u,"method":"mining.submit","params":["%s","%s","%s","%s","%s"]}\n`,
 * the nonce as `String(nonce, HEX)`: lowercase, leading zeros dropped.
 */
export function nerdSubmit(
  id: number,
  worker: string,
  jobId: string,
  extranonce2: string,
  ntime: string,
  nonceHex: string,
): string {
  return `{"id":${id},"method":"mining.submit","params":["${worker}","${jobId}","${extranonce2}","${ntime}","${nonceHex}"]}`;
}

export const nerdNonceHex = arduinoHex;

/**
 * utils.cpp: extranonce2 is a constant per size ("...0001"); sizes other than 2, 4 and 8 print
 * "Unknown extranonce2" and use "00000001", so their shares carry the wrong length.
 */
export function nerdExtranonce2(size: number): { extranonce2: string; known: boolean } {
  if (size === 2) return { extranonce2: '0001', known: true };
  if (size === 4) return { extranonce2: '00000001', known: true };
  if (size === 8) return { extranonce2: '0000000000000001', known: true };
  return { extranonce2: '00000001', known: false };
}
