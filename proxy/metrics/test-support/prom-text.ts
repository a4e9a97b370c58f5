import { spawnSync } from 'node:child_process';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One sample of a Prometheus text exposition, histograms flattened to _bucket/_sum/_count. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromText {
  types: Map<string, string>;
  helps: Map<string, string>;
  samples: PromSample[];
}

/** Go's ParseFloat, as Prometheus reads values: +Inf, -Inf and NaN in any case. */
function promNumber(raw: string): number {
  if (/^nan$/i.test(raw)) return Number.NaN;
  if (/^\+?inf$/i.test(raw)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(raw)) return Number.NEGATIVE_INFINITY;
  const n = Number(raw);
  if (raw.trim() === '' || Number.isNaN(n)) throw new Error(`not a sample value: ${JSON.stringify(raw)}`);
  return n;
}

/** The exposition as samples (parse-prometheus-text-format), types and help in lower case. */
export function parsePromText(text: string): PromText {
  const out: PromText = { types: new Map(), helps: new Map(), samples: [] };
  for (const family of parsePrometheusTextFormat(text)) {
    out.types.set(family.name, family.type.toLowerCase());
    out.helps.set(family.name, family.help);
    for (const m of family.metrics) {
      const labels = m.labels ?? {};
      const push = (name: string, extra: Record<string, string>, raw: string): void => {
        out.samples.push({ name, labels: { ...labels, ...extra }, value: promNumber(raw) });
      };
      if ('value' in m) {
        push(family.name, {}, m.value);
        continue;
      }
      if ('buckets' in m)
        for (const [le, v] of Object.entries(m.buckets)) push(`${family.name}_bucket`, { le }, v);
      else for (const [quantile, v] of Object.entries(m.quantiles)) push(family.name, { quantile }, v);
      // The library leaves out _sum, _count and the labels of a labelled histogram (Node's GC
      // durations); Karoo's own histograms have no labels, and promtool checks the whole text.
      if (m.sum !== undefined) push(`${family.name}_sum`, {}, m.sum);
      if (m.count !== undefined) push(`${family.name}_count`, {}, m.count);
    }
  }
  return out;
}

/**
 * Prometheus's own check of an exposition (`promtool check metrics`, from Debian's prometheus
 * package): parse errors fail it; lint findings (naming conventions) are returned to be judged.
 */
export function promtoolCheck(text: string): { parsed: boolean; lint: string[]; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool not runnable (apt install prometheus): ${run.error.message}`);
  const output = `${run.stdout}${run.stderr}`;
  const lint = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('error while linting'));
  return { parsed: run.status === 0 || run.status === 3, lint: run.status === 3 ? lint : [], output };
}

/** The value of the one sample with this name whose labels include `labels`; undefined if none. */
export function sampleValue(
  p: PromText,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const hits = p.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length > 1) throw new Error(`${hits.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return hits[0]?.value;
}
