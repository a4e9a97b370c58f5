/**
 * A number as Arduino's Print prints a double: digits and a point, or "nan", "inf", and "ovf"
 * (for magnitudes above 4294967040, Print::printFloat). Returns undefined for anything else.
 */
export function parseArduinoFloat(text: string): number | undefined {
  const t = text.trim();
  if (t === 'ovf' || t === 'inf') return Number.POSITIVE_INFINITY;
  if (t === '-inf') return Number.NEGATIVE_INFINITY;
  if (t === 'nan') return Number.NaN;
  return parseDecimal(t);
}

/** A decimal number, tolerating thousands separators ("1,234,567.89"). */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  if (!/^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(t)) return undefined;
  return Number(t.replace(/,/g, ''));
}
