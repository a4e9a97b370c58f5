import type { ProxyEvent } from '../../proxy/api/proxy-event.js';
import { formatDifficulty, formatDuration } from './format.js';

export type FeedKind =
  'block' | 'reject' | 'pool-reject' | 'vardiff' | 'connect' | 'disconnect' | 'upstream' | 'proxy';

/** Which events the feed shows (accepted shares would drown the rest), and how they read. */
export function describeEvent(
  e: ProxyEvent,
): { kind: FeedKind; worker: string | null; text: string } | undefined {
  switch (e.type) {
    case 'share':
      if (e.block_candidate)
        return {
          kind: 'block',
          worker: e.worker,
          text: `BLOCK candidate from ${e.worker}: share difficulty ${e.share_difficulty === null ? '?' : formatDifficulty(e.share_difficulty)}, sent to the pool`,
        };
      if (e.accepted) return undefined;
      return {
        kind: 'reject',
        worker: e.worker,
        text: `reject ${e.worker}: ${e.reason ?? 'unknown'}${e.code === null ? '' : ` [${e.code}]`} at diff ${formatDifficulty(e.difficulty)}`,
      };
    case 'pool-share':
      if (e.accepted) return undefined;
      return {
        kind: 'pool-reject',
        worker: e.worker,
        text: `pool reject ${e.worker}: ${e.reason ?? 'unknown'} after ${formatDuration(e.latency_ms)}`,
      };
    case 'vardiff':
      return {
        kind: 'vardiff',
        worker: e.worker,
        text: `vardiff ${e.worker} ${formatDifficulty(e.from)} -> ${formatDifficulty(e.to)}${e.reason ? ` (${e.reason})` : ''}`,
      };
    case 'connect':
      return { kind: 'connect', worker: null, text: `connect #${e.conn} from ${e.remote ?? '?'}` };
    case 'disconnect':
      return {
        kind: 'disconnect',
        worker: e.worker,
        text: `disconnect #${e.conn} ${e.worker ?? e.remote ?? '?'}${e.reason ? `: ${e.reason}` : ''}`,
      };
    case 'upstream':
      return {
        kind: 'upstream',
        worker: null,
        text: `upstream ${e.state}${e.url ? ` ${e.url}` : ''}${e.last_error ? `: ${e.last_error}` : ''}`,
      };
    case 'hello':
      return undefined;
  }
}
