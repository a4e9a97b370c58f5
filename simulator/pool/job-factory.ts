import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { JobParams } from '../../stratum/index.js';
import {
  merkleBranchesFor,
  merkleRootFromBranches,
  prevhashToStratum,
  sha256d,
  u32ToHex,
} from '../../stratum/index.js';
import type { Clock } from '../../runtime/clock.js';
import { blockSubsidy, buildCoinbaseParts } from './coinbase.js';

export interface JobFactoryOptions {
  /** extranonce1 + extranonce2 bytes. */
  extranonceSize: number;
  transactions: number;
  nbits: string;
  version: string;
  startHeight: number;
  payoutScript: string;
  coinbaseTag: string;
  clock: Clock;
  randomBytes?: (size: number) => Buffer;
}

export interface BlockState {
  height: number;
  /** Previous block hash, header (internal) byte order. */
  prevhash: Buffer;
}

export interface MakeJobOptions {
  /** A job with this many random merkle branches instead of a real tree (the huge-notify fault). */
  branches?: number;
}

/**
 * Jobs that look like mainnet: version 0x20000000, real-looking nbits, a coinbase with a BIP34
 * height, a payout and a witness commitment, and merkle branches from synthetic transactions.
 * ntime never goes backwards.
 */
export class JobFactory {
  private state: BlockState;
  private lastNtime = 0;
  private readonly random: (size: number) => Buffer;

  constructor(private readonly options: JobFactoryOptions) {
    this.random = options.randomBytes ?? cryptoRandomBytes;
    this.state = { height: options.startHeight, prevhash: this.blockHash() };
  }

  get block(): BlockState {
    return this.state;
  }

  /** The chain moved on: next height, a new previous-block hash. */
  newBlock(): BlockState {
    this.state = { height: this.state.height + 1, prevhash: this.blockHash() };
    return this.state;
  }

  makeJob(jobId: string, cleanJobs: boolean, opts: MakeJobOptions = {}): JobParams {
    const txids: Buffer[] = [];
    let branches: Buffer[];
    let witnessRoot: Buffer;
    let fees = 0n;
    if (opts.branches !== undefined) {
      branches = Array.from({ length: opts.branches }, () => this.random(32));
      witnessRoot = Buffer.alloc(32);
    } else {
      for (let i = 0; i < this.options.transactions; i += 1) {
        txids.push(this.random(32));
        fees += 500n + BigInt(this.random(2).readUInt16LE(0));
      }
      branches = merkleBranchesFor(txids);
      // The coinbase's wtxid is all zeros (BIP141); the synthetic transactions pretend to carry witnesses.
      witnessRoot = merkleRootFromBranches(Buffer.alloc(32), merkleBranchesFor(txids.map((t) => sha256d(t))));
    }
    const { coinb1, coinb2 } = buildCoinbaseParts({
      height: this.state.height,
      extranonceSize: this.options.extranonceSize,
      tag: this.options.coinbaseTag,
      payoutScript: Buffer.from(this.options.payoutScript, 'hex'),
      payoutValue: blockSubsidy(this.state.height) + fees,
      witnessRoot,
    });
    return {
      jobId,
      prevhash: prevhashToStratum(this.state.prevhash),
      coinb1: coinb1.toString('hex'),
      coinb2: coinb2.toString('hex'),
      merkleBranches: branches.map((b) => b.toString('hex')),
      version: this.options.version,
      nbits: this.options.nbits,
      ntime: u32ToHex(this.nextNtime()),
      cleanJobs,
    };
  }

  private nextNtime(): number {
    this.lastNtime = Math.max(this.lastNtime, Math.floor(this.options.clock.now() / 1000));
    return this.lastNtime;
  }

  /** A random hash with the leading zeros (in display order) that a real block hash has. */
  private blockHash(): Buffer {
    const hash = this.random(32);
    hash.fill(0, 24); // the top 8 bytes: display order starts with 16 zero hex digits
    return hash;
  }
}
