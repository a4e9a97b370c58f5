import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256d } from './sha256d.js';
import {
  assembleShare,
  buildCoinbase,
  buildHeader,
  displayHashToStratumPrevhash,
  merkleBranchesFor,
  merkleMemo,
  merkleRootFromBranches,
  prepareJob,
  prevhashFromStratum,
  prevhashToStratum,
  toDisplayHex,
} from './share-math.js';
import { VersionBitsOutsideMaskError } from './version-rolling.js';
import { goldenVector, goldenVectors } from '../test-support/golden-vectors.js';

const VECTORS = goldenVectors();
const byName = goldenVector;

function internal(displayHex: string): Buffer {
  return Buffer.from(displayHex, 'hex').reverse();
}

/** Bitcoin's merkle root over txids (internal order), written here independently of share-math. */
function referenceMerkleRoot(txids: Buffer[]): Buffer {
  let level = txids;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Buffer;
      const right = level[i + 1] ?? left;
      next.push(sha256d(Buffer.concat([left, right])));
    }
    level = next;
  }
  return level[0] as Buffer;
}

describe('golden vectors through prepareJob + assembleShare', () => {
  it('covers every file in fixtures/golden, including genesis and version-rolling block881423', () => {
    expect(VECTORS.map((v) => v.golden.name)).toEqual(
      expect.arrayContaining(['genesis', 'block100000', 'block100002', 'block881423']),
    );
  });

  it.each(VECTORS.map((v) => [v.golden.name, v] as const))(
    '%s rebuilds header, root, hash, difficulty',
    (_n, v) => {
      const share = assembleShare({
        job: prepareJob(v.job),
        extranonce1: v.golden.extranonce1,
        submit: v.submit,
        versionMask: v.versionMask,
      });
      const { expected } = v.golden;
      expect(share.header.toString('hex')).toBe(expected.header);
      expect(share.header).toHaveLength(80);
      expect(toDisplayHex(share.merkleRoot)).toBe(expected.merkle_root);
      expect(toDisplayHex(share.hash)).toBe(expected.hash);
      expect(Math.abs(share.difficulty - expected.difficulty) / expected.difficulty).toBeLessThan(1e-12);
      expect(share.coinbase.toString('hex')).toBe(
        v.job.coinb1 + v.golden.extranonce1 + v.submit.extranonce2 + v.job.coinb2,
      );
      expect(share.version).toBe(share.header.readUInt32LE(0));
    },
  );

  it('genesis gives hash 000000000019d668...8ce26f and difficulty 2536.43', () => {
    const v = byName('genesis');
    const share = assembleShare({
      job: prepareJob(v.job),
      extranonce1: v.golden.extranonce1,
      submit: v.submit,
    });
    expect(toDisplayHex(share.hash)).toBe('000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f');
    expect(share.difficulty).toBeCloseTo(2536.43, 2);
    expect(v.job.merkleBranches).toEqual([]);
    expect(toDisplayHex(share.merkleRoot)).toBe(toDisplayHex(sha256d(share.coinbase)));
  });

  it('block881423 rolls the version to 2e596000 and is refused without the negotiated mask', () => {
    const v = byName('block881423');
    const job = prepareJob(v.job);
    expect(job.version).toBe(0x20000000);
    const share = assembleShare({
      job,
      extranonce1: v.golden.extranonce1,
      submit: v.submit,
      versionMask: 0x1fffe000,
    });
    expect(share.version).toBe(0x2e596000);
    expect(() => assembleShare({ job, extranonce1: v.golden.extranonce1, submit: v.submit })).toThrow(
      VersionBitsOutsideMaskError,
    );
    // Without version bits the job's own version goes into the header, and the hash changes.
    const { versionBits: _dropped, ...fiveParams } = v.submit;
    const unrolled = assembleShare({ job, extranonce1: v.golden.extranonce1, submit: fiveParams });
    expect(unrolled.version).toBe(0x20000000);
    expect(unrolled.hash.equals(share.hash)).toBe(false);
  });

  it('any change to extranonce2, ntime or nonce changes the hash', () => {
    const v = byName('block100000');
    const job = prepareJob(v.job);
    const base = assembleShare({ job, extranonce1: v.golden.extranonce1, submit: v.submit }).hash;
    for (const change of [{ extranonce2: '1b020603' }, { ntime: '4d1b2238' }, { nonce: '10572b10' }]) {
      const other = assembleShare({
        job,
        extranonce1: v.golden.extranonce1,
        submit: { ...v.submit, ...change },
      });
      expect(other.hash.equals(base)).toBe(false);
    }
  });
});

describe('prepareJob and prevhash byte order', () => {
  it('decodes the job once: integers from big-endian hex, prevhash to header order', () => {
    const v = byName('block100000');
    const job = prepareJob(v.job);
    expect(job.version).toBe(1);
    expect(job.nbits).toBe(0x1b04864c);
    expect(job.ntime).toBe(0x4d1b2237);
    expect(job.branches.map((b) => b.toString('hex'))).toEqual(v.job.merkleBranches);
    // The header carries prevhash in internal order at bytes 4..36.
    expect(job.prevhash.toString('hex')).toBe(v.golden.expected.header.slice(8, 72));
  });

  it('prevhashToStratum undoes prevhashFromStratum, and a display hash maps to the notify form', () => {
    for (const v of VECTORS) {
      const headerOrder = prevhashFromStratum(v.job.prevhash);
      expect(prevhashToStratum(headerOrder)).toBe(v.job.prevhash);
      expect(displayHashToStratumPrevhash(toDisplayHex(headerOrder))).toBe(v.job.prevhash);
    }
    // Block 99999, the parent of block 100000, as explorers print it.
    expect(
      displayHashToStratumPrevhash('000000000002d01c1fccc21636b607dfd930d31d01c3a62104612a1719011250'),
    ).toBe(byName('block100000').job.prevhash);
  });

  it('refuses a prevhash that is not 32 bytes', () => {
    expect(() => prevhashFromStratum('00'.repeat(31))).toThrow(RangeError);
  });
});

describe('merkle branches', () => {
  // Block 100002's txids in display order, as `bitcoin-cli getblock` lists them. Recomputed from
  // the raw block in bitcoin/bitcoin src/test/util/setup_common.cpp getBlock13b8a(), whose header
  // hashes to 0000000000013b8a...e0f7af; the last one is also named in bitcoin's merkle tests.
  const BLOCK100002_TXIDS = [
    'ef1d870d24c85b89d92ad50f4631026f585d6a34e972eaf427475e5d60acf3a3', // coinbase
    'f9fc751cb7dc372406a9f8d738d5e6f8f63bab71986a39cf36ee70ee17036d07',
    'db60fb93d736894ed0b86cb92548920a3fe8310dd19b0da7ad97e48725e1e12e',
    '220ebc64e21abece964927322cba69180ed853bb187fbc6923bac7d010b9d87a',
    '71b3dbaca67e9f9189dad3617138c19725ab541ef0b49c05a94913e9f28e3f4e',
    'fe305e1ed08212d76161d853222048eea1f34af42ea0e197896a269fbf8dc2e0',
    '21d2eb195736af2a40d42107e6abd59c97eb6cffd4a5a7a7709e86590ae61987',
    'dd1fd2a6fc16404faf339881a90adbde7f4f728691ac62e8f168809cdfae1053',
    '74d681e0e03bafa802c8aa084379aa98d9fcd632ddc2ed9782b586ec87451f20',
  ];
  // Block 100000's txids (btcsuite/btcd btcutil/block_test.go wantTxHashes).
  const BLOCK100000_TXIDS = [
    '8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87', // coinbase
    'fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4',
    '6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4',
    'e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d',
  ];

  it.each([
    ['block100002', BLOCK100002_TXIDS],
    ['block100000', BLOCK100000_TXIDS],
  ])('merkleBranchesFor reproduces %s: its notify branches and its real merkle root', (name, txids) => {
    const v = byName(name);
    const all = txids.map(internal);
    const branches = merkleBranchesFor(all.slice(1));
    expect(branches.map((b) => b.toString('hex'))).toEqual(v.job.merkleBranches);
    // The golden coinbase hashes to the block's coinbase txid.
    const coinbase = buildCoinbase(
      Buffer.from(v.job.coinb1, 'hex'),
      Buffer.from(v.golden.extranonce1, 'hex'),
      Buffer.from(v.submit.extranonce2, 'hex'),
      Buffer.from(v.job.coinb2, 'hex'),
    );
    expect(toDisplayHex(sha256d(coinbase))).toBe(txids[0]);
    const root = merkleRootFromBranches(sha256d(coinbase), branches);
    expect(toDisplayHex(root)).toBe(v.golden.expected.merkle_root);
    expect(root.equals(referenceMerkleRoot(all))).toBe(true);
  });

  it('gives no branches for a coinbase-only block and one branch for two transactions', () => {
    expect(merkleBranchesFor([])).toEqual([]);
    const tx = sha256d(Buffer.from('tx'));
    expect(merkleBranchesFor([tx])).toEqual([tx]);
    const cb = sha256d(Buffer.from('cb'));
    expect(merkleRootFromBranches(cb, [])).toBe(cb);
  });

  it('folding the branches from any coinbase gives the full-tree merkle root (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 40 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (txs, cb) => {
          const txids = txs.map((t) => Buffer.from(t));
          const coinbase = Buffer.from(cb);
          const branches = merkleBranchesFor(txids);
          expect(branches).toHaveLength(txids.length === 0 ? 0 : Math.ceil(Math.log2(txids.length + 1)));
          expect(
            merkleRootFromBranches(coinbase, branches).equals(referenceMerkleRoot([coinbase, ...txids])),
          ).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('buildHeader', () => {
  it('lays out version, prevhash, merkle root, ntime, nbits, nonce little-endian in 80 bytes', () => {
    const prevhash = Buffer.alloc(32, 0xaa);
    const merkleRoot = Buffer.alloc(32, 0xbb);
    const header = buildHeader({
      version: 0x2e596000,
      prevhash,
      merkleRoot,
      ntime: 0x679ac169,
      nbits: 0x17029a8a,
      nonce: 0xff05fb02,
    });
    expect(header.toString('hex')).toBe(
      `0060592e${'aa'.repeat(32)}${'bb'.repeat(32)}69c19a678a9a021702fb05ff`,
    );
  });
});

describe('the merkle memo', () => {
  it('gives exactly the share a fresh assembly gives, whatever the order of jobs, extranonces and nonces', () => {
    const a = byName('block100000');
    const b = byName('block100002');
    // Same job id, other coinbase: a redialled pool may reuse ids, so the memo keys on the job itself.
    const jobs = [
      prepareJob(a.job),
      prepareJob({ ...a.job, coinb2: `${a.job.coinb2}00` }),
      prepareJob(b.job),
    ];
    const memo = merkleMemo();
    let reused = 0;
    let expectedReuse = 0;
    let lastKey = '';
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            job: fc.integer({ min: 0, max: 2 }),
            extranonce1: fc.constantFrom('0a0b0c0d', 'f0f1f2f3'),
            extranonce2: fc.constantFrom('00000001', '00000002'),
            nonce: fc.integer({ min: 0, max: 0xffffffff }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (shares) => {
          for (const s of shares) {
            const job = jobs[s.job] as (typeof jobs)[number];
            const input = {
              job,
              extranonce1: s.extranonce1,
              submit: {
                extranonce2: s.extranonce2,
                ntime: job.job.ntime,
                nonce: s.nonce.toString(16).padStart(8, '0'),
              },
            };
            const key = `${s.job}/${s.extranonce1}/${s.extranonce2}`;
            if (key === lastKey) expectedReuse += 1;
            lastKey = key;
            const rootBefore = memo.merkleRoot;
            const memoised = assembleShare(input, memo);
            if (memoised.merkleRoot === rootBefore) reused += 1;
            const fresh = assembleShare(input);
            expect(memoised.header.equals(fresh.header)).toBe(true);
            expect(memoised.hash.equals(fresh.hash)).toBe(true);
            expect(memoised.coinbase.equals(fresh.coinbase)).toBe(true);
            expect(memoised.difficulty).toBe(fresh.difficulty);
          }
        },
      ),
      { seed: 11, numRuns: 200 },
    );
    // Exactly the shares that followed one on the same job and extranonces came from the memo.
    expect(reused).toBe(expectedReuse);
    expect(reused).toBeGreaterThan(0);
  });

  it('rebuilds the root when the job object, either extranonce or nothing changes', () => {
    const v = byName('block100000');
    const job = prepareJob(v.job);
    const twin = prepareJob(v.job);
    const memo = merkleMemo();
    const submit = { extranonce2: '00000001', ntime: v.submit.ntime, nonce: '00000000' };
    const first = assembleShare({ job, extranonce1: '0a0b0c0d', submit }, memo).merkleRoot;
    const again = assembleShare(
      { job, extranonce1: '0a0b0c0d', submit: { ...submit, nonce: '00000001' } },
      memo,
    );
    expect(again.merkleRoot).toBe(first);
    expect(assembleShare({ job: twin, extranonce1: '0a0b0c0d', submit }, memo).merkleRoot).not.toBe(first);
    const otherEn1 = assembleShare({ job: twin, extranonce1: '0a0b0c0e', submit }, memo).merkleRoot;
    expect(otherEn1.equals(first)).toBe(false);
    const otherEn2 = assembleShare(
      { job: twin, extranonce1: '0a0b0c0e', submit: { ...submit, extranonce2: '00000002' } },
      memo,
    );
    expect(otherEn2.merkleRoot.equals(otherEn1)).toBe(false);
  });
});
