import { StratumError } from './errors.js';

/**
 * BIP310 version rolling (https://github.com/bitcoin/bips/blob/master/bip-0310.mediawiki).
 * The server grants the intersection of its mask and the miner's; the miner may change only those
 * bits, and the block's nVersion = (job_version & ~mask) | (version_bits & mask).
 */
export const BIP320_MASK = 0x1fffe000;

export class VersionBitsOutsideMaskError extends StratumError {
  constructor(bits: number, mask: number) {
    super('OTHER', `version bits ${hex8(bits)} outside the negotiated mask ${hex8(mask)}`);
    this.name = 'VersionBitsOutsideMaskError';
  }
}

export function negotiateVersionMask(serverMask: number, minerMask: number): number {
  return (serverMask & minerMask) >>> 0;
}

/** The header's nVersion for a submit's version bits; bits outside the mask are refused, not dropped. */
export function applyVersionBits(jobVersion: number, versionBits: number, mask: number): number {
  if ((versionBits & ~mask) >>> 0 !== 0) throw new VersionBitsOutsideMaskError(versionBits, mask);
  return ((jobVersion & ~mask) | (versionBits & mask)) >>> 0;
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
