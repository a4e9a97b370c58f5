import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { formatIssues } from '../format-issues.js';
import type { FaultSpec, FaultSpecInput } from './fault-spec.js';
import { faultSpecSchema, scenarioSchema } from './fault-spec.js';

/** A scenario file or fault that does not validate; the message names the key and what was expected. */
export class ScenarioError extends Error {
  readonly code = 'POOL_SCENARIO';
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export interface Scenario {
  description?: string;
  /** Parsed: durations in milliseconds, defaults filled in. */
  faults: FaultSpec[];
  /** The entries as written, valid; what `startPool({ faults })` and `faults.inject` take. */
  entries: FaultSpecInput[];
}

/** Parses scenario text. JSON when it starts with `{`, YAML otherwise (YAML is a superset anyway). */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  let data: unknown;
  try {
    data = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    throw new ScenarioError(`${source}: not valid JSON or YAML (${first})`);
  }
  if (data === null || data === undefined) data = { faults: [] };
  const result = scenarioSchema.safeParse(data);
  if (!result.success) throw new ScenarioError(`${source}: ${formatIssues(result.error.issues, data)}`);
  const entries = (data as { faults: FaultSpecInput[] }).faults;
  const out: Scenario = { faults: result.data.faults, entries };
  if (result.data.description !== undefined) out.description = result.data.description;
  return out;
}

export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseScenario(text, path);
}

/** Validates one fault given to the programmatic API. */
export function parseFaultSpec(input: FaultSpecInput | unknown): FaultSpec {
  const result = faultSpecSchema.safeParse(input);
  if (!result.success) throw new ScenarioError(`fault: ${formatIssues(result.error.issues, input)}`);
  return result.data;
}
