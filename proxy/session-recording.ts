import { RecordingDirectory } from '../recording/recording-directory.js';
import type { Clock } from '../runtime/clock.js';
import type { MinerView, SessionTap } from './core/index.js';

/** The upstream a recording names: the configured pool, as `stratum+tcp://HOST:PORT`. */
export function recordedUpstream(upstream: { host: string; port: number }): string {
  return `stratum+tcp://${upstream.host}:${upstream.port}`;
}

/**
 * `karoo proxy --record DIR`: every miner's session as a recording (regression/README.md has the
 * format), the proxy playing the pool's side, passwords redacted. `karoo replay` plays them back.
 */
export function sessionRecorder(
  dir: string,
  upstreamUrl: string,
  clock: Clock,
  /** File name prefix (default "session"; worker k of `--workers N` uses "session-wk"). */
  prefix?: string,
): (session: MinerView) => SessionTap {
  const recordings = new RecordingDirectory(dir, {
    clock,
    target: { kind: 'karoo' },
    ...(prefix === undefined ? {} : { prefix }),
  });
  return (session) => {
    const { recorder } = recordings.open({ miner: session.remoteAddress, upstream: upstreamUrl });
    return {
      rx: (line) => recorder.minerLine(line),
      tx: (line) => recorder.poolLine(line),
      closed: (by) => {
        recorder.closed(by === 'miner' ? 'miner' : 'pool');
        void recorder.end();
      },
    };
  };
}
