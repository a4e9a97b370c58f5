import { describe, expect, it } from 'vitest';
import { ManualClock } from '../runtime/test-support/manual-clock.js';
import type { RecordSink } from './session-recorder.js';
import { SessionRecorder } from './session-recorder.js';
import { parseRecording } from './read-recording.js';

function arraySink(accept = Number.POSITIVE_INFINITY): RecordSink & { lines: string[]; ended: boolean } {
  const sink = {
    lines: [] as string[],
    ended: false,
    write(text: string): boolean {
      if (sink.lines.length >= accept) return false;
      sink.lines.push(text);
      return true;
    },
    async end(): Promise<void> {
      sink.ended = true;
    },
  };
  return sink;
}

describe('SessionRecorder', () => {
  it('writes a header, then each line with its time offset and side, framed from raw chunks', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const sink = arraySink();
    const rec = new SessionRecorder(
      sink,
      { session: 7, miner: '10.0.0.5:4000', upstream: 'stratum+tcp://pool:3333' },
      { clock },
    );
    rec.minerBytes(Buffer.from('{"id":1,"method":"mining.subscr'));
    clock.advance(5);
    rec.minerBytes(
      Buffer.from('ibe","params":[]}\r\n{"params": ["w", "pw"], "id": 2, "method": "mining.authorize"}\n'),
    );
    clock.advance(3);
    rec.poolBytes(Buffer.from('{"id":1,"result":true,"error":null}\n'));
    rec.mark('new-block');
    clock.advance(2);
    rec.closed('pool');
    rec.closed('miner');
    await rec.end();
    expect(sink.ended).toBe(true);
    const recording = parseRecording(sink.lines.join('\n'), 'x.jsonl');
    expect(recording.header).toEqual({
      format: 'karoo-recording',
      version: 1,
      session: 7,
      started: '2023-11-14T22:13:20.000Z',
      miner: '10.0.0.5:4000',
      upstream: 'stratum+tcp://pool:3333',
    });
    expect(recording.entries).toEqual([
      {
        kind: 'line',
        index: 1,
        t: 5,
        from: 'miner',
        line: '{"id":1,"method":"mining.subscribe","params":[]}',
      },
      {
        kind: 'line',
        index: 2,
        t: 5,
        from: 'miner',
        line: '{"params": ["w", "<redacted>"], "id": 2, "method": "mining.authorize"}',
      },
      { kind: 'line', index: 3, t: 8, from: 'pool', line: '{"id":1,"result":true,"error":null}' },
      { kind: 'mark', index: 4, t: 8, event: 'new-block' },
      { kind: 'close', index: 5, t: 10, from: 'pool' },
    ]);
    expect(rec.recordCount).toBe(5);
  });

  it('notes a line over the cap by its cap only and goes on with the next line', () => {
    const sink = arraySink();
    const rec = new SessionRecorder(sink, { session: 1 }, { clock: new ManualClock(0), lineCap: 64 });
    rec.minerBytes(Buffer.from(`${'A'.repeat(100)}\n{"id":1}\n`));
    expect(sink.lines.slice(1).map((l) => JSON.parse(l))).toEqual([
      { t: 0, from: 'miner', oversize: 64 },
      { t: 0, from: 'miner', line: '{"id":1}' },
    ]);
  });

  it('stops with one truncated record at the size cap, and ignores everything after', () => {
    const sink = arraySink();
    const rec = new SessionRecorder(sink, { session: 1 }, { clock: new ManualClock(0), maxBytes: 300 });
    for (let i = 0; i < 20; i += 1) rec.poolLine(`{"id":${i},"result":true,"error":null}`);
    const records = sink.lines.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.at(-1)).toEqual({ t: 0, truncated: 'size cap of 300 bytes reached' });
    expect(records.filter((r) => 'truncated' in r)).toHaveLength(1);
    expect(sink.lines.join('\n').length).toBeLessThan(300 + 60);
    rec.minerLine('{"id":99}');
    expect(sink.lines.at(-1)).toContain('truncated');
  });

  it('stops when the sink cannot take more (a disk slower than the session)', () => {
    const sink = arraySink(3);
    const rec = new SessionRecorder(sink, { session: 1 }, { clock: new ManualClock(0) });
    for (let i = 0; i < 10; i += 1) rec.minerLine(`{"id":${i}}`);
    expect(rec.recordCount).toBe(3);
  });

  it("marks the pool's own new work just before its notify; later records wait, in order, with their own times", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const sink = arraySink();
    const lookups = new Map<string, (mark: 'new-job' | 'new-block' | undefined) => void>();
    const rec = new SessionRecorder(
      sink,
      { session: 1 },
      {
        clock,
        markFor: (line) => {
          const jobId = /"mining\.notify","params":\["(\w+)"/.exec(line)?.[1];
          if (jobId === undefined) return undefined;
          return new Promise((resolve) => lookups.set(jobId, resolve));
        },
      },
    );
    const notify = (id: string) => `{"id":null,"method":"mining.notify","params":["${id}"]}`;
    rec.poolLine(notify('a1'));
    clock.advance(4);
    rec.minerLine('{"id":4,"method":"mining.submit","params":[]}');
    rec.poolLine(notify('a2'));
    clock.advance(4);
    rec.poolLine('{"id":4,"result":true,"error":null}');
    expect(sink.lines).toHaveLength(1); // the header: the rest waits for a1's answer
    lookups.get('a2')?.('new-block');
    expect(sink.lines).toHaveLength(1);
    lookups.get('a1')?.(undefined);
    const ended = rec.end();
    await ended;
    const body = sink.lines.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(body).toEqual([
      { t: 0, from: 'pool', line: notify('a1') },
      { t: 4, from: 'miner', line: '{"id":4,"method":"mining.submit","params":[]}' },
      { t: 4, event: 'new-block' },
      { t: 4, from: 'pool', line: notify('a2') },
      { t: 8, from: 'pool', line: '{"id":4,"result":true,"error":null}' },
    ]);
    expect(rec.recordCount).toBe(5);
  });

  it('end() waits for a lookup still running, then writes what it held', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const sink = arraySink();
    let answer: (mark: 'new-job' | undefined) => void = () => undefined;
    const rec = new SessionRecorder(
      sink,
      { session: 1 },
      {
        clock,
        markFor: () => new Promise((resolve) => (answer = resolve)),
      },
    );
    rec.poolLine('{"id":null,"method":"mining.notify","params":["b1"]}');
    rec.closed('pool');
    const ended = rec.end();
    expect(sink.ended).toBe(false);
    answer('new-job');
    await ended;
    expect(sink.ended).toBe(true);
    expect(sink.lines.slice(1).map((l) => Object.keys(JSON.parse(l) as object).join(','))).toEqual([
      't,event',
      't,from,line',
      't,from,close',
    ]);
  });
});
