import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  InvalidParamsError,
  StratumError,
  VersionBitsOutsideMaskError,
  assembleShare,
  byteHex,
  paddedHex,
  parseMessage,
  prepareJob,
  toDisplayHex,
} from '../stratum/index.js';
import type { JsonValue } from '../stratum/index.js';
import { UsageError } from './usage-error.js';

export interface ShareExplanation {
  header: string;
  merkle_root: string;
  hash: string;
  difficulty: number;
  version: string;
  coinbase: string;
}

/**
 * Rebuilds a share from `{extranonce1, notify, submit, version_mask?}`: the exact header the
 * miner hashed, its merkle root, hash and difficulty. Throws UsageError naming the bad field.
 */
export function explainShare(input: unknown): ShareExplanation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new UsageError('input: expected a JSON object with extranonce1, notify and submit');
  }
  const o = input as Record<string, JsonValue>;
  try {
    const extranonce1 = byteHex(o.extranonce1, 'extranonce1', 64);
    const notify = parseMessage(
      JSON.stringify({ id: null, method: 'mining.notify', params: o.notify ?? null }),
    );
    const submit = parseMessage(JSON.stringify({ id: 1, method: 'mining.submit', params: o.submit ?? null }));
    if (notify.type !== 'request' || notify.method !== 'mining.notify')
      throw new UsageError('notify: not a notify');
    if (submit.type !== 'request' || submit.method !== 'mining.submit')
      throw new UsageError('submit: not a submit');
    const versionMask =
      o.version_mask === undefined ? 0 : Number.parseInt(paddedHex(o.version_mask, 8, 'version_mask'), 16);
    if (submit.params.jobId !== notify.params.jobId) {
      throw new UsageError(
        `submit[1] (job id): expected the notify's job id ${JSON.stringify(notify.params.jobId)}, got ${JSON.stringify(submit.params.jobId)}`,
      );
    }
    const share = assembleShare({
      job: prepareJob(notify.params),
      extranonce1,
      submit: submit.params,
      versionMask,
    });
    return {
      header: share.header.toString('hex'),
      merkle_root: toDisplayHex(share.merkleRoot),
      hash: toDisplayHex(share.hash),
      difficulty: share.difficulty,
      version: share.version.toString(16).padStart(8, '0'),
      coinbase: share.coinbase.toString('hex'),
    };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof VersionBitsOutsideMaskError) {
      throw new UsageError(
        `submit[5] (version bits): ${err.message.replace(/^[^:]*: /, '')} (the file's version_mask)`,
      );
    }
    if (err instanceof StratumError) {
      // Parser messages name "mining.notify params[i]"; the file's keys are "notify[i]" and "submit[i]".
      const msg = (
        err instanceof InvalidParamsError ? err.message.replace(/^Invalid params: /, '') : err.message
      )
        .replace(/mining\.notify params/g, 'notify')
        .replace(/mining\.submit params/g, 'submit');
      throw new UsageError(msg);
    }
    throw err;
  }
}

export function registerExplainShare(program: Command): void {
  program
    .command('explain-share')
    .description('rebuild a share from a JSON file and print its header, merkle root, hash and difficulty')
    .argument('<file>', 'JSON: {"extranonce1": hex, "notify": [...], "submit": [...], "version_mask"?: hex}')
    .option('--json', 'print one JSON object with header, merkle_root, hash, difficulty')
    .action((file: string, opts: { json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(
          `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? oneLine(String(err))})`,
        );
      }
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch (err) {
        // V8 quotes the offending text, newlines and all; the message must stay on one line.
        throw new UsageError(`${file}: not valid JSON (${oneLine((err as Error).message)})`);
      }
      const e = explainShare(input);
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ header: e.header, merkle_root: e.merkle_root, hash: e.hash, difficulty: e.difficulty })}\n`,
        );
        return;
      }
      process.stdout.write(
        [
          `header      ${e.header}`,
          `version     ${e.version}`,
          `merkle root ${e.merkle_root}`,
          `hash        ${e.hash}`,
          `difficulty  ${e.difficulty}`,
          '',
        ].join('\n'),
      );
    });
}

/** Collapses line breaks so an error stays one line on stderr. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
