import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from './conformance/catalogue.js';
import * as api from './index.js';

const README = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
/** Tables are padded for reading; compare with runs of spaces collapsed. */
const FLAT = README.replace(/ +/g, ' ');

describe('regression/README.md', () => {
  it('lists every check of the catalogue with its rule', () => {
    for (const c of CHECKS) {
      expect(FLAT, c.id).toContain(`| \`${c.id}\` | ${c.title} | ${c.rule.replace(/ +/g, ' ')} |`);
    }
  });

  it('names every replay rule and every record kind', () => {
    for (const rule of ['answer', 'notification', 'order', 'close', 're-mine'])
      expect(README).toContain(`[\`${rule}\`]`);
    for (const rec of [
      '"oversize":N',
      '"event":"new-job"\\|"new-block"',
      '"truncated":REASON',
      '"close":true',
    ])
      expect(FLAT).toContain(rec);
  });

  it('documents the exports it names', () => {
    for (const name of [
      'startRecorder',
      'RecordingDirectory',
      'replayRecording',
      'runConformance',
      'toJUnitXml',
      'registerConformanceCommand',
    ]) {
      expect(Object.keys(api)).toContain(name);
      expect(README).toContain(name);
    }
  });
});
