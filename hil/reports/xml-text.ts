/**
 * Text made safe for XML 1.0: characters XML cannot carry at all (control characters other than
 * tab, LF and CR, lone surrogates, U+FFFE/U+FFFF) are written as visible `\xNN` / `\u{...}`
 * escapes, since a serial console can print anything. The JUnit writer escapes the rest.
 */
export function xmlSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const ok =
      cp === 0x9 ||
      cp === 0xa ||
      cp === 0xd ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      (cp >= 0x10000 && cp <= 0x10ffff);
    out += ok ? ch : cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
  }
  return out;
}
