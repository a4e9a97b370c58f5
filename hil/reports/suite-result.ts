import type { ExcerptLine } from '../runner/board-watch.js';
import type { BenchKind } from '../runner/bench.js';
import type { BindingMethod } from '../runner/session-binding.js';

export type CaseStatus = 'passed' | 'failed' | 'skipped';

/**
 * What a scenario saw the firmware do that is neither a pass nor a failure: `expected` matches the
 * firmware's documented behaviour (shared/reference/firmware.md), `finding` does not (worth a
 * look, not a crash), `info` is context.
 */
export interface Observation {
  readonly kind: 'expected' | 'finding' | 'info';
  readonly message: string;
}

/** One board × one scenario. */
export interface CaseResult {
  readonly board: string;
  readonly scenario: string;
  readonly title: string;
  readonly status: CaseStatus;
  /** ISO time the case started. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Why it failed or was skipped. */
  readonly message?: string;
  /** The error's stable code (HilError) or class name. */
  readonly errorCode?: string;
  /** Where it failed (stack), for the report body. */
  readonly errorDetail?: string;
  readonly observations: readonly Observation[];
  /** Measurements (times, counts, difficulties), JSON values. */
  readonly details: Readonly<Record<string, unknown>>;
  /** The board's Stratum session as last tied to it during the case. */
  readonly binding?: {
    readonly by: BindingMethod;
    readonly worker: string;
    readonly remote: string | null;
  };
  /** The board's serial console during the case (the last lines when long). */
  readonly excerpt: readonly ExcerptLine[];
  readonly excerptOmitted: number;
}

export interface BoardSummary {
  readonly name: string;
  readonly path: string;
  readonly virtual: boolean;
  readonly worker?: string;
  readonly firmware?: string;
  /** What was built and run, for firmware running on the host (`--host-firmware`). */
  readonly build?: string;
}

export interface BenchSummary {
  readonly kind: BenchKind;
  readonly stratumUrl: string;
  readonly proxyUrl?: string;
  readonly poolUrl?: string;
}

export interface SuiteTotals {
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface SuiteResult {
  readonly name: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly bench: BenchSummary;
  readonly boards: readonly BoardSummary[];
  readonly scenarios: readonly string[];
  readonly cases: readonly CaseResult[];
  readonly totals: SuiteTotals;
}

export function totalsOf(cases: readonly CaseResult[]): SuiteTotals {
  const count = (status: CaseStatus): number => cases.filter((c) => c.status === status).length;
  return {
    tests: cases.length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}
