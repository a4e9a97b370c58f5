import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMessage } from '../stratum/message-parser.js';
import type { JobParams, SubmitParams } from '../stratum/messages.js';

/** fixtures/golden/, as a path. */
export const GOLDEN_DIR = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));

/** A fixtures/golden/*.json file: a real block's job and share as a pool and miner sent them. */
export interface Golden {
  name: string;
  extranonce1: string;
  notify: unknown[];
  submit: unknown[];
  version_mask?: string;
  expected: { hash: string; merkle_root: string; header: string; difficulty: number };
}

export interface GoldenVector {
  file: string;
  golden: Golden;
  job: JobParams;
  submit: SubmitParams;
  versionMask: number;
}

/** Every golden file, by file name, its notify and submit run through the real parser. */
export function goldenVectors(): GoldenVector[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const golden = JSON.parse(readFileSync(join(GOLDEN_DIR, file), 'utf8')) as Golden;
      const notify = parseMessage(
        JSON.stringify({ id: null, method: 'mining.notify', params: golden.notify }),
      );
      const submit = parseMessage(JSON.stringify({ id: 1, method: 'mining.submit', params: golden.submit }));
      if (notify.type !== 'request' || notify.method !== 'mining.notify') throw new Error(`${file}: notify`);
      if (submit.type !== 'request' || submit.method !== 'mining.submit') throw new Error(`${file}: submit`);
      const versionMask = golden.version_mask === undefined ? 0 : Number.parseInt(golden.version_mask, 16);
      return { file, golden, job: notify.params, submit: submit.params, versionMask };
    });
}

/** The golden vector named `name` (read afresh, so a test may change it). */
export function goldenVector(name: string): GoldenVector {
  const v = goldenVectors().find((x) => x.golden.name === name);
  if (v === undefined) throw new Error(`no golden vector ${name}`);
  return v;
}
