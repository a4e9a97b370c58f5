import { describe, expect, it } from 'vitest';
import { RecordingFormatError, parseRecording } from './read-recording.js';

const HEADER = '{"format":"karoo-recording","version":1,"session":1,"started":"2025-01-01T00:00:00.000Z"}';

function error(text: string): string {
  try {
    parseRecording(text, 'f.jsonl');
  } catch (err) {
    expect(err).toBeInstanceOf(RecordingFormatError);
    return (err as Error).message;
  }
  throw new Error('expected a RecordingFormatError');
}

describe('parseRecording', () => {
  it('reads every record kind and numbers entries from 1, skipping blank lines', () => {
    const text = [
      HEADER,
      '{"t":0,"from":"miner","line":"{}"}',
      '',
      '{"t":1,"from":"miner","oversize":4096}',
      '{"t":2,"event":"new-job"}',
      '{"t":3,"from":"pool","close":true,"error":"ECONNRESET"}',
      '{"t":4,"truncated":"size cap"}',
      '',
    ].join('\n');
    expect(parseRecording(text, 'f.jsonl').entries).toEqual([
      { kind: 'line', index: 1, t: 0, from: 'miner', line: '{}' },
      { kind: 'oversize', index: 2, t: 1, from: 'miner', bytes: 4096 },
      { kind: 'mark', index: 3, t: 2, event: 'new-job' },
      { kind: 'close', index: 4, t: 3, from: 'pool', error: 'ECONNRESET' },
      { kind: 'truncated', index: 5, t: 4, reason: 'size cap' },
    ]);
  });

  it.each([
    ['an empty file', '', 'f.jsonl:1: empty file'],
    [
      'a header of another format',
      '{"format":"other","version":1}',
      'f.jsonl:1: not a karoo-recording v1 header',
    ],
    ['a newer version', HEADER.replace('"version":1', '"version":2'), 'version'],
    ['a line that is not JSON', `${HEADER}\n{"t":0,`, 'f.jsonl:2: not valid JSON'],
    ['an unknown side', `${HEADER}\n{"t":0,"from":"proxy","line":"{}"}`, 'f.jsonl:2: not a record'],
    ['an unknown mark', `${HEADER}\n\n{"t":0,"event":"reboot"}`, 'f.jsonl:3: not a record'],
    ['a negative time', `${HEADER}\n{"t":-1,"from":"miner","line":"{}"}`, 'f.jsonl:2'],
    ['an extra key', `${HEADER}\n{"t":0,"from":"miner","line":"{}","x":1}`, 'f.jsonl:2'],
  ])('%s: an error naming file and line', (_what, text, message) => {
    expect(error(text)).toContain(message);
  });
});
