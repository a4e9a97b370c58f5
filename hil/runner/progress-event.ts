import type { BenchSummary, BoardSummary, CaseResult, SuiteResult } from '../reports/suite-result.js';
import type { BindingMethod } from './session-binding.js';

/** What the runner reports as it goes, for live progress on the terminal (or anything else). */
export type ProgressEvent =
  | {
      type: 'suite-start';
      boards: BoardSummary[];
      scenarios: string[];
      bench: BenchSummary;
      notes: string[];
    }
  | { type: 'note'; message: string }
  | { type: 'case-start'; board: string; scenario: string }
  | { type: 'bound'; board: string; by: BindingMethod; worker: string; remote: string | null }
  | { type: 'case-end'; result: CaseResult }
  | { type: 'suite-end'; result: SuiteResult };
