import type { ConfigureRequest } from '../../../stratum/index.js';
import {
  StratumError,
  buildConfigureResult,
  negotiateVersionMask,
  requestedVersionMask,
} from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';

/**
 * BIP310. Version rolling is granted as the intersection of the pool's mask and the miner's, when
 * that leaves at least the miner's min-bit-count bits; other extensions are declined. public-pool
 * answers every configure with version rolling on its own mask (1fffe000), whatever was asked.
 */
export function handleConfigure(session: PoolSession, req: ConfigureRequest): void {
  const { extensions, options } = req.params;
  if (session.ctx.profile.configure.grant === 'pool-mask') {
    session.versionMask = session.ctx.options.versionMask;
    session.reply(req.id, {
      'version-rolling': true,
      'version-rolling.mask': session.versionMask.toString(16).padStart(8, '0'),
    });
    return;
  }
  let granted: number | null = null;
  if (extensions.includes('version-rolling')) {
    let requested: number;
    try {
      requested = requestedVersionMask(options);
    } catch (err) {
      if (!(err instanceof StratumError)) throw err;
      session.replyError(req.id, err);
      return;
    }
    const minBits = options['version-rolling.min-bit-count'];
    const needed = typeof minBits === 'number' && Number.isFinite(minBits) ? minBits : 1;
    const mask = negotiateVersionMask(session.ctx.options.versionMask, requested);
    if (mask !== 0 && bitCount(mask) >= needed) granted = mask;
    session.versionMask = granted ?? 0;
    session.log.debug({ requested, granted }, 'version rolling negotiated');
  }
  session.reply(req.id, buildConfigureResult(extensions, granted));
}

function bitCount(value: number): number {
  let n = 0;
  for (let v = value >>> 0; v !== 0; v >>>= 1) n += v & 1;
  return n;
}
