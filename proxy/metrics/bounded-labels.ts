/** The label value every name past the bound shares. */
export const OTHER_LABEL = 'other';

/**
 * Keeps a label's cardinality bounded: the first `max` distinct values keep their own label, every
 * later one is reported as `other`. First come, first kept, so a series never moves to another
 * label (counters stay monotonic).
 */
export class BoundedLabels {
  private readonly kept = new Set<string>();

  constructor(readonly max: number) {}

  label(value: string): string {
    if (this.kept.has(value)) return value;
    if (this.kept.size < this.max && value !== OTHER_LABEL) {
      this.kept.add(value);
      return value;
    }
    return OTHER_LABEL;
  }

  has(value: string): boolean {
    return this.kept.has(value);
  }
}

/** A free-text reason as a short label value: lower case, numbers dropped, dashes for spaces. */
export function reasonLabel(text: string): string {
  const label = text
    .toLowerCase()
    .replace(/\d+(\.\d+)?%?/g, '')
    .replace(/[^a-z]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return label === '' ? 'unknown' : label;
}
