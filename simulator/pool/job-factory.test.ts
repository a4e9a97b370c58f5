import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { merkleRootFromBranches, prevhashFromStratum, sha256d } from '../../stratum/index.js';
import type { Clock } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import { bip34HeightPush, blockSubsidy, readBip34Height, varInt } from './coinbase.js';
import { JobFactory } from './job-factory.js';
import type { JobFactoryOptions } from './job-factory.js';

/** A plain merkle root (Bitcoin's: duplicate the last node of an odd level), written apart from stratum/. */
function merkleRoot(leaves: Buffer[]): Buffer {
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(sha256d(Buffer.concat([level[i] as Buffer, (level[i + 1] ?? level[i]) as Buffer])));
    }
    level = next;
  }
  return level[0] as Buffer;
}

/** Reads the coinbase transaction the pool would build for a miner's extranonce. */
function parseCoinbase(tx: Buffer) {
  let o = 0;
  const version = tx.readUInt32LE(o);
  o += 4;
  const inputs = tx[o++] as number;
  const prevout = tx.subarray(o, o + 36);
  o += 36;
  const scriptLength = tx[o++] as number;
  const scriptSig = tx.subarray(o, o + scriptLength);
  o += scriptLength;
  const sequence = tx.readUInt32LE(o);
  o += 4;
  const outputCount = tx[o++] as number;
  const outputs: { value: bigint; script: Buffer }[] = [];
  for (let i = 0; i < outputCount; i += 1) {
    const value = tx.readBigUInt64LE(o);
    o += 8;
    const len = tx[o++] as number;
    outputs.push({ value, script: tx.subarray(o, o + len) });
    o += len;
  }
  const locktime = tx.readUInt32LE(o);
  o += 4;
  return { version, inputs, prevout, scriptSig, sequence, outputs, locktime, rest: tx.length - o };
}

function factory(over: Partial<JobFactoryOptions> = {}): { f: JobFactory; draws: Buffer[] } {
  const draws: Buffer[] = [];
  const f = new JobFactory({
    extranonceSize: 12,
    transactions: 5,
    nbits: '17029a8a',
    version: '20000000',
    startHeight: 881_423,
    payoutScript: '0014' + '11'.repeat(20),
    coinbaseTag: '/test/',
    clock: systemClock,
    randomBytes: (n) => {
      const b = randomBytes(n);
      draws.push(b);
      return b;
    },
    ...over,
  });
  return { f, draws };
}

describe('coinbase pieces', () => {
  it('encodes varints and BIP34 heights as Bitcoin Core does', () => {
    expect(varInt(0xfc).toString('hex')).toBe('fc');
    expect(varInt(0xfd).toString('hex')).toBe('fdfd00');
    expect(varInt(0x10000).toString('hex')).toBe('fe00000100');
    expect(bip34HeightPush(1).toString('hex')).toBe('51');
    expect(bip34HeightPush(16).toString('hex')).toBe('60');
    expect(bip34HeightPush(17).toString('hex')).toBe('0111');
    expect(bip34HeightPush(128).toString('hex')).toBe('028000');
    expect(bip34HeightPush(256).toString('hex')).toBe('020001');
    // Mainnet block 881423's coinbase starts its scriptSig with 030f730d.
    expect(bip34HeightPush(881_423).toString('hex')).toBe('030f730d');
    for (const h of [1, 16, 17, 127, 128, 32767, 32768, 881_423, 8_388_608]) {
      expect(readBip34Height(bip34HeightPush(h))).toBe(h);
    }
  });

  it('halves the subsidy every 210,000 blocks', () => {
    expect(blockSubsidy(0)).toBe(5_000_000_000n);
    expect(blockSubsidy(210_000)).toBe(2_500_000_000n);
    expect(blockSubsidy(840_000)).toBe(312_500_000n);
    expect(blockSubsidy(64 * 210_000)).toBe(0n);
  });
});

describe('JobFactory', () => {
  it('builds a coinbase with the height, a payout and a correct witness commitment, and real merkle branches', () => {
    const { f, draws } = factory();
    const job = f.makeJob('1', true);
    const txids = draws.filter((d) => d.length === 32).slice(1);
    expect(txids).toHaveLength(5);
    const extranonce = Buffer.alloc(12, 0xab);
    const tx = Buffer.concat([Buffer.from(job.coinb1, 'hex'), extranonce, Buffer.from(job.coinb2, 'hex')]);
    const cb = parseCoinbase(tx);
    expect(cb).toMatchObject({ version: 2, inputs: 1, sequence: 0xffffffff, locktime: 0, rest: 0 });
    expect(cb.prevout.equals(Buffer.concat([Buffer.alloc(32), Buffer.from('ffffffff', 'hex')]))).toBe(true);
    expect(readBip34Height(cb.scriptSig)).toBe(881_423);
    expect(cb.scriptSig.includes(extranonce)).toBe(true);
    expect(cb.scriptSig.toString('latin1')).toContain('/test/');
    expect(cb.outputs).toHaveLength(2);
    expect(cb.outputs[0]?.script.toString('hex')).toBe('0014' + '11'.repeat(20));
    expect(cb.outputs[0]?.value).toBeGreaterThan(blockSubsidy(881_423));
    const witnessRoot = merkleRoot([Buffer.alloc(32), ...txids.map((t) => sha256d(t))]);
    const commitment = sha256d(Buffer.concat([witnessRoot, Buffer.alloc(32)]));
    expect(cb.outputs[1]).toEqual({
      value: 0n,
      script: Buffer.concat([Buffer.from('6a24aa21a9ed', 'hex'), commitment]),
    });
    const coinbaseTxid = sha256d(tx);
    const viaBranches = merkleRootFromBranches(
      coinbaseTxid,
      job.merkleBranches.map((b) => Buffer.from(b, 'hex')),
    );
    expect(viaBranches.equals(merkleRoot([coinbaseTxid, ...txids]))).toBe(true);
    expect(job).toMatchObject({ jobId: '1', version: '20000000', nbits: '17029a8a', cleanJobs: true });
  });

  it('gives display-order prevhashes with leading zeros and a new one per block, one height up', () => {
    const { f } = factory();
    const a = f.makeJob('1', true);
    f.newBlock();
    const b = f.makeJob('2', true);
    for (const job of [a, b]) {
      expect(Buffer.from(prevhashFromStratum(job.prevhash)).reverse().toString('hex')).toMatch(/^0{16}/);
    }
    expect(a.prevhash).not.toBe(b.prevhash);
    expect(f.block.height).toBe(881_424);
  });

  it('has no branches without transactions and any number when asked (huge notify)', () => {
    const { f } = factory({ transactions: 0 });
    expect(f.makeJob('1', false).merkleBranches).toEqual([]);
    expect(f.makeJob('2', false, { branches: 500 }).merkleBranches).toHaveLength(500);
  });

  it('never lets ntime go backwards', () => {
    let now = 2_000_000_000_000;
    const clock: Clock = { ...systemClock, now: () => now };
    const { f } = factory({ clock });
    const first = Number.parseInt(f.makeJob('1', false).ntime, 16);
    now -= 3_600_000;
    expect(Number.parseInt(f.makeJob('2', false).ntime, 16)).toBe(first);
    now += 7_200_000;
    expect(Number.parseInt(f.makeJob('3', false).ntime, 16)).toBe(first + 3600);
  });
});
