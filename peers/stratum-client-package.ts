import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/**
 * The npm package stratum-client (a third-party Stratum client, src/index.js, a dev dependency)
 * as the regression fixtures and the pool simulator's tests drive it on purpose: one module-level
 * socket, string ids equal to the method name ("mining.subscribe"), dispatch on `method || id`,
 * lines split per data chunk. These are its shapes (it ships no types).
 */
export interface StratumClientWork {
  extraNonce1: string;
  extraNonce2Size: number;
  miningDiff: number;
  jobId: string;
  prevhash: string;
  coinb1: string;
  coinb2: string;
  merkle_branch: string[];
  version: string;
  nbits: string;
  ntime: string;
  clean_jobs: boolean;
}

export interface StratumClientPackageOptions {
  server: string;
  port: number;
  worker: string;
  password?: string;
  autoReconnectOnError?: boolean;
  onError?: (err: Error) => void;
  onAuthorizeSuccess?: () => void;
  onAuthorizeFail?: (error: unknown) => void;
  onNewDifficulty?: (difficulty: number) => void;
  onSubscribe?: (data: { extraNonce1: string; extraNonce2Size: number }) => void;
  onNewMiningWork?: (work: StratumClientWork) => void;
  onSubmitWorkSuccess?: (error: unknown, result: unknown) => void;
  onSubmitWorkFail?: (error: unknown, result: unknown) => void;
}

export interface StratumClientHandle {
  client: Socket;
  submit(o: { worker_name: string; job_id: string; extranonce2: string; ntime: string; nonce: string }): void;
  shutdown(): void;
}

/** Starts the package's client (it connects at once). */
export function startStratumClientPackage(options: StratumClientPackageOptions): StratumClientHandle {
  const require = createRequire(import.meta.url);
  const start = require('stratum-client') as (o: StratumClientPackageOptions) => StratumClientHandle;
  return start(options);
}
