import { sha256d } from '../../stratum/index.js';

/** Bitcoin's CompactSize length prefix. */
export function varInt(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`varint must be a non-negative integer, got ${n}`);
  if (n < 0xfd) return Buffer.from([n]);
  if (n <= 0xffff) {
    const b = Buffer.alloc(3);
    b[0] = 0xfd;
    b.writeUInt16LE(n, 1);
    return b;
  }
  if (n <= 0xffffffff) {
    const b = Buffer.alloc(5);
    b[0] = 0xfe;
    b.writeUInt32LE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = 0xff;
  b.writeBigUInt64LE(BigInt(n), 1);
  return b;
}

/** A data push of up to 255 bytes (direct push up to 75, OP_PUSHDATA1 beyond). */
export function pushData(data: Buffer): Buffer {
  if (data.length <= 75) return Buffer.concat([Buffer.from([data.length]), data]);
  if (data.length <= 255) return Buffer.concat([Buffer.from([0x4c, data.length]), data]);
  throw new RangeError(`push of ${data.length} bytes is too long for a coinbase`);
}

/**
 * BIP34: the coinbase scriptSig starts with the block height as a script number, exactly as
 * Bitcoin Core's `CScript() << height` writes it (OP_1..OP_16 for small heights, else a minimal
 * little-endian push with a sign byte when the top bit is set).
 */
export function bip34HeightPush(height: number): Buffer {
  if (!Number.isInteger(height) || height < 0) throw new RangeError(`bad block height ${height}`);
  if (height === 0) return Buffer.from([0x00]);
  if (height <= 16) return Buffer.from([0x50 + height]);
  const bytes: number[] = [];
  for (let v = height; v > 0; v = Math.floor(v / 256)) bytes.push(v % 256);
  if (((bytes[bytes.length - 1] as number) & 0x80) !== 0) bytes.push(0);
  return pushData(Buffer.from(bytes));
}

/** Reads back the height a BIP34 scriptSig starts with (for tests and explainers). */
export function readBip34Height(scriptSig: Buffer): number {
  const op = scriptSig[0] as number;
  if (op === 0) return 0;
  if (op >= 0x51 && op <= 0x60) return op - 0x50;
  let value = 0;
  for (let i = op; i >= 1; i -= 1) value = value * 256 + (scriptSig[i] as number);
  return value;
}

/** 50 BTC halved every 210,000 blocks, in satoshis. */
export function blockSubsidy(height: number): bigint {
  const halvings = Math.floor(height / 210_000);
  return halvings >= 64 ? 0n : (50n * 100_000_000n) >> BigInt(halvings);
}

/** BIP141: OP_RETURN push(36) aa21a9ed || sha256d(witness root || reserved value of 32 zeros). */
export function witnessCommitmentScript(witnessRoot: Buffer): Buffer {
  const commitment = sha256d(Buffer.concat([witnessRoot, Buffer.alloc(32)]));
  return Buffer.concat([Buffer.from('6a24aa21a9ed', 'hex'), commitment]);
}

export interface CoinbaseTemplate {
  height: number;
  /** extranonce1 + extranonce2 bytes the miner fills in between coinb1 and coinb2. */
  extranonceSize: number;
  tag: string;
  payoutScript: Buffer;
  payoutValue: bigint;
  witnessRoot: Buffer;
}

export interface CoinbaseParts {
  coinb1: Buffer;
  coinb2: Buffer;
}

const MAX_TAG_BYTES = 40;

/**
 * A coinbase as mainnet pools write it, in the non-witness (txid) serialization a Stratum pool
 * sends: one input whose scriptSig is `height push | push(extranonce) | push(tag)`, a payout
 * output, a witness commitment output. coinb1 ends just before the extranonce bytes.
 */
export function buildCoinbaseParts(t: CoinbaseTemplate): CoinbaseParts {
  if (t.extranonceSize < 2 || t.extranonceSize > 75) {
    throw new RangeError(`extranonce space must be 2 to 75 bytes, got ${t.extranonceSize}`);
  }
  const height = bip34HeightPush(t.height);
  const tag = pushData(Buffer.from(t.tag, 'utf8').subarray(0, MAX_TAG_BYTES));
  const scriptSigLength = height.length + 1 + t.extranonceSize + tag.length;
  const coinb1 = Buffer.concat([
    Buffer.from('02000000', 'hex'), // tx version 2
    varInt(1),
    Buffer.alloc(32), // prevout hash: null
    Buffer.from('ffffffff', 'hex'), // prevout index
    varInt(scriptSigLength),
    height,
    Buffer.from([t.extranonceSize]), // push opcode for the extranonce bytes
  ]);
  const payoutValue = Buffer.alloc(8);
  payoutValue.writeBigUInt64LE(t.payoutValue);
  const commitment = witnessCommitmentScript(t.witnessRoot);
  const coinb2 = Buffer.concat([
    tag,
    Buffer.from('ffffffff', 'hex'), // sequence
    varInt(2),
    payoutValue,
    varInt(t.payoutScript.length),
    t.payoutScript,
    Buffer.alloc(8), // commitment output carries no value
    varInt(commitment.length),
    commitment,
    Buffer.alloc(4), // locktime
  ]);
  return { coinb1, coinb2 };
}
