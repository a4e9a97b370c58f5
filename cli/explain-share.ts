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
import { DEFAULT_VERDICT_DIFFICULTY, judgeShare } from './share-verdict.js';
import type { ExplainedVerdict } from './share-verdict.js';
import { UsageError } from '../runtime/usage-error.js';

export interface ShareExplanation {
  header: string;
  merkle_root: string;
  hash: string;
  difficulty: number;
  version: string;
  coinbase: string;
  /** What a pool at the given difficulty would answer. */
  verdict: ExplainedVerdict;
}

/**
 * Rebuilds a share from `{extranonce1, notify, submit, version_mask?, extranonce2_size?}`: the
 * exact header the miner hashed, its merkle root, hash and difficulty, and the verdict a pool
 * giving `difficulty` would reach. Throws UsageError naming the bad field.
 */
export function explainShare(input: unknown, difficulty = DEFAULT_VERDICT_DIFFICULTY): ShareExplanation {
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
    const extranonce2Size = o.extranonce2_size;
    if (
      extranonce2Size !== undefined &&
      (typeof extranonce2Size !== 'number' ||
        !Number.isInteger(extranonce2Size) ||
        extranonce2Size < 1 ||
        extranonce2Size > 16)
    ) {
      throw new UsageError(
        `extranonce2_size: expected a whole number of bytes from 1 to 16, got ${JSON.stringify(extranonce2Size)}`,
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
      verdict: judgeShare({
        notify: notify.params,
        submit: submit.params,
        extranonce1,
        versionMask,
        difficulty,
        ...(extranonce2Size === undefined ? {} : { extranonce2Size }),
      }),
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
    .description(
      'rebuild a share from a JSON file: its header, merkle root, hash, difficulty and what a pool would answer',
    )
    .argument(
      '<file>',
      'JSON: {"extranonce1": hex, "notify": [...], "submit": [...], "version_mask"?: hex, "extranonce2_size"?: n}',
    )
    .option(
      '--difficulty <d>',
      `judge the share against this pool difficulty (default ${DEFAULT_VERDICT_DIFFICULTY})`,
    )
    .option('--json', 'print one JSON object with header, merkle_root, hash, difficulty, verdict')
    .action((file: string, opts: { json?: boolean; difficulty?: string }) => {
      const difficulty = difficultyFlag(opts.difficulty);
      const e = explainShare(readShareFile(file), difficulty);
      process.stdout.write(explanationText(e, opts.json === true));
    });
}

/** The share file's JSON; a file that cannot be read or parsed is a UsageError naming it, on one line. */
export function readShareFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? oneLine(String(err))})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 quotes the offending text, newlines and all; the message must stay on one line.
    throw new UsageError(`${file}: not valid JSON (${oneLine((err as Error).message)})`);
  }
}

/** What the command prints: aligned lines, or with --json exactly one JSON object on one line. */
export function explanationText(e: ShareExplanation, json: boolean): string {
  if (json) {
    return `${JSON.stringify({ header: e.header, merkle_root: e.merkle_root, hash: e.hash, difficulty: e.difficulty, verdict: e.verdict })}\n`;
  }
  return [
    `header      ${e.header}`,
    `version     ${e.version}`,
    `merkle root ${e.merkle_root}`,
    `hash        ${e.hash}`,
    `difficulty  ${e.difficulty}`,
    `verdict     ${e.verdict.message}`,
    '',
  ].join('\n');
}

/** `--difficulty`: a number above 0 (the default when not given), else a UsageError. */
export function difficultyFlag(text: string | undefined): number {
  if (text === undefined) return DEFAULT_VERDICT_DIFFICULTY;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--difficulty: expected a number above 0, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** Collapses line breaks so an error stays one line on stderr. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
