/**
 * Bitaxe (ESP-Miner) wire lines, byte for byte. Source: bitaxeorg/ESP-Miner
 * components/stratum/stratum_api.c (STRATUM_V1_configure_version_rolling, _subscribe,
 * _authorize, _suggest_difficulty, _extranonce_subscribe, _submit_share, _pong, _send_version;
 * the compact snprintf layout of current firmware). Numbers in submits are `%08lx`.
 */

export const BITAXE_DEFAULT_MODEL = 'BM1370';
export const BITAXE_DEFAULT_VERSION = 'v2.9.0';
/** CONFIG_STRATUM_DIFFICULTY (the web UI's "suggested difficulty"). */
export const BITAXE_DEFAULT_DIFFICULTY = 1000;
/** ESP-Miner asks for every bit; the pool's answer decides. */
export const BITAXE_CONFIGURE_MASK = 'ffffffff';
/** Current firmware keeps only BIP320 bits of whatever mask the pool grants. */
export const BIP320_VERSION_ROLLING_MASK = 0x1fffe000;

export function axeConfigure(id: number): string {
  return `{"id":${id},"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"${BITAXE_CONFIGURE_MASK}"}]}`;
}

export function axeSubscribe(id: number, model: string, version: string): string {
  return `{"id":${id},"method":"mining.subscribe","params":["bitaxe/${model}/${version}"]}`;
}

export function axeAuthorize(id: number, user: string, pass: string): string {
  return `{"id":${id},"method":"mining.authorize","params":["${user}","${pass}"]}`;
}

/** `%PRIu32`: the firmware keeps the suggestion as an integer. */
export function axeSuggestDifficulty(id: number, difficulty: number): string {
  return `{"id":${id},"method":"mining.suggest_difficulty","params":[${Math.trunc(difficulty) >>> 0}]}`;
}

export function axeExtranonceSubscribe(id: number): string {
  return `{"id":${id},"method":"mining.extranonce.subscribe","params":[]}`;
}

export function axeSubmit(
  id: number,
  user: string,
  jobId: string,
  extranonce2: string,
  ntime: string,
  nonce: string,
  versionBits: string,
): string {
  return `{"id":${id},"method":"mining.submit","params":["${user}","${jobId}","${extranonce2}","${ntime}","${nonce}","${versionBits}"]}`;
}

/** The answer to mining.ping is a request-shaped "pong", with the ping's id. */
export function axePong(id: number): string {
  return `{"id":${id},"method":"pong","params":[]}`;
}

export function axeVersion(id: number, version: string): string {
  return `{"id":${id},"result":"${version}","error":null}`;
}
