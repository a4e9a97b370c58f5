/** ESP-IDF log lines as ESP-Miner prints them: `I (<ms since boot>) <tag>: <message>`, coloured. */
const COLOURS = { E: '31', W: '33', I: '32' } as const;

export function espLog(level: keyof typeof COLOURS, uptimeMs: number, tag: string, message: string): string {
  return `\x1b[0;${COLOURS[level]}m${level} (${Math.floor(uptimeMs)}) ${tag}: ${message}\x1b[0m`;
}
