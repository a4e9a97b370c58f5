import blessed from 'blessed';
import type { Line, LineStyle } from '../view/panels.js';

const TAGS: Record<LineStyle, [string, string]> = {
  normal: ['', ''],
  selected: ['{inverse}', '{/inverse}'],
  good: ['{green-fg}', '{/green-fg}'],
  warn: ['{yellow-fg}', '{/yellow-fg}'],
  bad: ['{red-fg}', '{/red-fg}'],
  dim: ['{gray-fg}', '{/gray-fg}'],
};

/** A view line as blessed tag markup; the selected row is padded so its highlight spans `width`. */
export function paintLine(line: Line, width: number): string {
  const text = line.style === 'selected' ? line.text.padEnd(width) : line.text;
  const [open, close] = TAGS[line.style];
  return `${open}${blessed.escape(text)}${close}`;
}
