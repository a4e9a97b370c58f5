/**
 * cpuminer (pooler/cpuminer 2.5.1) wire lines, byte for byte: util.c stratum_subscribe,
 * stratum_authorize, stratum_get_version, stratum_show_message, and cpu-miner.c
 * submit_upstream_work, whose every submit carries id 4. Replies built with jansson's
 * json_dumps(val, 0) keep insertion order with ", " and ": " separators.
 */

export const CPUMINER_USER_AGENT = 'cpuminer/2.5.1';
/** cpu-miner.c hardcodes the submit id. */
export const CPUMINER_SUBMIT_ID = 4;

export function cpuSubscribe(): string {
  return `{"id": 1, "method": "mining.subscribe", "params": ["${CPUMINER_USER_AGENT}"]}`;
}

/** The retry after a failed subscribe drops the user agent. */
export function cpuSubscribeRetry(): string {
  return '{"id": 1, "method": "mining.subscribe", "params": []}';
}

export function cpuAuthorize(user: string, pass: string): string {
  return `{"id": 2, "method": "mining.authorize", "params": ["${user}", "${pass}"]}`;
}

export function cpuSubmit(
  user: string,
  jobId: string,
  extranonce2: string,
  ntime: string,
  nonce: string,
): string {
  return `{"method": "mining.submit", "params": ["${user}", "${jobId}", "${extranonce2}", "${ntime}", "${nonce}"], "id":${CPUMINER_SUBMIT_ID}}`;
}

export function cpuGetVersionReply(id: string): string {
  return `{"id": ${id}, "error": null, "result": "${CPUMINER_USER_AGENT}"}`;
}

export function cpuShowMessageReply(id: string): string {
  return `{"id": ${id}, "error": null, "result": true}`;
}
