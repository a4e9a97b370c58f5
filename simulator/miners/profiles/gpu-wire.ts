/**
 * The gpu profile's wire lines. No maintained SHA-256 GPU miner exists (GPUs left Bitcoin in 2013),
 * so the rig speaks cgminer's layout, the last GPU-capable Bitcoin miner: ckolivas/cgminer util.c
 * (subscribe, authorize, the `{"params": [...], "id": %d, "method": "mining.submit"}` submit with a
 * 6th version-bits param when a mask was negotiated) plus the BIP310 mining.configure of
 * cgminer 4.10+ asking for the BIP320 mask with min-bit-count 2.
 */

export const GPU_USER_AGENT = 'cgminer/4.12.1';
export const GPU_REQUESTED_MASK = '1fffe000';

export function gpuConfigure(id: number): string {
  return `{"id": ${id}, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "${GPU_REQUESTED_MASK}", "version-rolling.min-bit-count": 2}]}`;
}

export function gpuSubscribe(id: number): string {
  return `{"id": ${id}, "method": "mining.subscribe", "params": ["${GPU_USER_AGENT}"]}`;
}

export function gpuAuthorize(id: number, user: string, pass: string): string {
  return `{"id": ${id}, "method": "mining.authorize", "params": ["${user}", "${pass}"]}`;
}

export function gpuSubmit(
  id: number,
  user: string,
  jobId: string,
  extranonce2: string,
  ntime: string,
  nonce: string,
  versionBits?: string,
): string {
  const bits = versionBits === undefined ? '' : `, "${versionBits}"`;
  return `{"params": ["${user}", "${jobId}", "${extranonce2}", "${ntime}", "${nonce}"${bits}], "id": ${id}, "method": "mining.submit"}`;
}

export function gpuVersionReply(id: number): string {
  return `{"id": ${id}, "result": "${GPU_USER_AGENT}", "error": null}`;
}
