import { jobFromNotify } from '../../simulator/pool/test-support/cpu-miner.js';
import type { MinerJob } from '../../simulator/pool/test-support/cpu-miner.js';
import { RawClient } from './raw-client.js';

/** A subscribed and authorized connection that is about to misbehave. */
export interface BadSession {
  client: RawClient;
  worker: string;
  extranonce1: string;
  extranonce2Size: number;
  difficulty: number;
  job: MinerJob;
}

export async function badSession(
  port: number,
  localAddress: string,
  o: { worker?: string; versionMask?: string } = {},
): Promise<BadSession> {
  const client = await RawClient.connect(port, localAddress);
  const worker = o.worker ?? 'bad.rig';
  if (o.versionMask !== undefined) {
    await client.request('mining.configure', [
      ['version-rolling'],
      { 'version-rolling.mask': o.versionMask },
    ]);
  }
  const sub = await client.request('mining.subscribe', ['bad-input/1.0']);
  const result = sub.result as [unknown, string, number];
  await client.request('mining.authorize', [worker, 'x']);
  const diff = await client.notification('mining.set_difficulty');
  const notify = await client.notification('mining.notify');
  return {
    client,
    worker,
    extranonce1: result[1],
    extranonce2Size: result[2],
    difficulty: Number(diff.params[0]),
    job: jobFromNotify(notify.params),
  };
}

/** extranonce2 of the session's size from a counter. */
export function en2Of(s: Pick<BadSession, 'extranonce2Size'>, n: number): string {
  return n.toString(16).padStart(s.extranonce2Size * 2, '0');
}
