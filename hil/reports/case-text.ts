import type { CaseResult } from './suite-result.js';

/** A case as plain text, for JUnit's system-out: title, session, observations, details, serial lines. */
export function caseText(c: CaseResult): string {
  const lines: string[] = [c.title];
  if (c.binding !== undefined) {
    const from = c.binding.remote === null ? '' : ` from ${c.binding.remote}`;
    lines.push(`session: worker ${c.binding.worker}${from} (tied by ${c.binding.by})`);
  }
  for (const o of c.observations) lines.push(`${o.kind}: ${o.message}`);
  if (Object.keys(c.details).length > 0) lines.push(`details: ${JSON.stringify(c.details)}`);
  const omitted = c.excerptOmitted > 0 ? `, ${c.excerptOmitted} earlier lines omitted` : '';
  lines.push(
    `serial console (${c.excerpt.length} lines${omitted}; seconds since the case started, negative before it):`,
  );
  for (const l of c.excerpt) lines.push(`${(l.t / 1000).toFixed(3).padStart(9)}  ${l.line}`);
  return lines.join('\n');
}
