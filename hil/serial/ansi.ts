// ESP-IDF colours each log line: "\x1b[0;32mI (1234) tag: msg\x1b[0m". Escape sequences start
// with ESC (0x1b), a control character, hence the lint exemptions.
// eslint-disable-next-line no-control-regex
const CSI_SEQUENCE = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const LONE_ESCAPE = /\x1b/g;

/** Removes ANSI colour and cursor sequences (and any stray ESC). */
export function stripAnsi(text: string): string {
  return text.replace(CSI_SEQUENCE, '').replace(LONE_ESCAPE, '');
}
