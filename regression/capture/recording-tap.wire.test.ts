import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecordedSessionInfo, RunningRecorder } from './recording-tap.js';
import { startRecorder } from './recording-tap.js';
import { parseRecording } from '../../recording/read-recording.js';
import { PATIENCE } from '../../test-support/patience.js';

/** A raw upstream: keeps every byte it gets, sends what the test tells it to. */
interface RawUpstream {
  port: number;
  sockets: Socket[];
  received: Buffer[];
  accepted: Promise<Socket>;
  close(): Promise<void>;
}

async function rawUpstream(): Promise<RawUpstream> {
  const sockets: Socket[] = [];
  const received: Buffer[] = [];
  let resolveFirst: (s: Socket) => void = () => undefined;
  const accepted = new Promise<Socket>((r) => (resolveFirst = r));
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.on('data', (c: Buffer) => received.push(c));
    s.on('error', () => undefined);
    resolveFirst(s);
  });
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  return {
    port: (server.address() as AddressInfo).port,
    sockets,
    received,
    accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function dial(port: number): Promise<Socket & { got: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }) as Socket & { got: Buffer[] };
    s.got = [];
    s.on('data', (c: Buffer) => s.got.push(c));
    s.once('error', reject);
    s.once('connect', () => resolve(s));
  });
}

/** Waits until `ok` holds (vi.waitFor, PATIENCE), naming `what` if it never does. */
function until(what: string, ok: () => boolean): Promise<void> {
  return vi.waitFor(() => expect(ok(), what).toBe(true), PATIENCE);
}

let dir: string;
let upstream: RawUpstream;
let recorder: RunningRecorder;
const ended: RecordedSessionInfo[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'karoo-tap-'));
  upstream = await rawUpstream();
  recorder = await startRecorder({
    listen: { host: '127.0.0.1', port: 0 },
    upstream: { host: '127.0.0.1', port: upstream.port },
    outDir: dir,
    target: { kind: 'test' },
  });
  ended.length = 0;
  recorder.on('session-end', (s) => ended.push(s));
});

afterEach(async () => {
  await recorder.close();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the recording tap', () => {
  it('forwards bytes unchanged both ways, however they are split, and records the lines', async () => {
    const miner = await dial(recorder.port);
    const pool = await upstream.accepted;
    const fromMiner = [
      '{"id":1,"meth',
      'od":"mining.subscribe","params":["ü"]}\r\n{"para',
      'ms": ["w", "secret"], "id": 2, "method": "mining.authorize"}\n',
    ];
    let sent = 0;
    for (const part of fromMiner) {
      miner.write(part);
      sent += Buffer.byteLength(part);
      // Each part reaches the pool before the next is written: the tap sees three separate chunks.
      await until('the part upstream', () => Buffer.concat(upstream.received).length === sent);
    }
    const expectedUp = Buffer.from(fromMiner.join(''));
    await until('every byte upstream', () => Buffer.concat(upstream.received).length === expectedUp.length);
    expect(Buffer.concat(upstream.received).equals(expectedUp)).toBe(true);
    const fromPool = Buffer.from('{"id":1,"result":[[],"00",4],"error":null}\n\n{"id":2,"res');
    pool.write(fromPool);
    pool.write('ult":true,"error":null}\n');
    await until('bytes to the miner', () => Buffer.concat(miner.got).length === fromPool.length + 24);
    expect(Buffer.concat(miner.got).toString()).toBe(`${fromPool.toString()}ult":true,"error":null}\n`);
    miner.end();
    await until('the session file', () => ended.length === 1);

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(ended[0]?.path).toBe(join(dir, files[0] as string));
    const rec = parseRecording(readFileSync(join(dir, files[0] as string), 'utf8'), 'x');
    expect(rec.header).toMatchObject({
      session: 1,
      upstream: `stratum+tcp://127.0.0.1:${upstream.port}`,
      target: { kind: 'test' },
    });
    expect(
      rec.entries.map((e) => (e.kind === 'line' ? [e.from, e.line] : [e.kind, 'from' in e ? e.from : ''])),
    ).toEqual([
      ['miner', '{"id":1,"method":"mining.subscribe","params":["ü"]}'],
      ['miner', '{"params": ["w", "<redacted>"], "id": 2, "method": "mining.authorize"}'],
      ['pool', '{"id":1,"result":[[],"00",4],"error":null}'],
      ['pool', '{"id":2,"result":true,"error":null}'],
      ['close', 'miner'],
    ]);
    const times = rec.entries.map((e) => e.t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('writes one file per session and records which side closed first', async () => {
    const a = await dial(recorder.port);
    await until('first upstream', () => upstream.sockets.length === 1);
    const b = await dial(recorder.port);
    await until('second upstream', () => upstream.sockets.length === 2);
    a.write('{"id":1,"method":"mining.subscribe","params":[]}\n');
    await until('line upstream', () => upstream.received.length > 0);
    recorder.mark('new-job');
    (upstream.sockets[1] as Socket).end();
    await until('b closed by the pool', () => ended.length === 1);
    a.destroy();
    await until('a closed by the miner', () => ended.length === 2);
    expect(b.destroyed || b.readableEnded).toBe(true);

    const byName = readdirSync(dir).sort();
    expect(byName).toHaveLength(2);
    const [ra, rb] = byName.map((f) => parseRecording(readFileSync(join(dir, f), 'utf8'), f));
    expect(ra?.header.session).toBe(1);
    expect(rb?.header.session).toBe(2);
    expect(ra?.entries.map((e) => e.kind)).toEqual(['line', 'mark', 'close']);
    expect(ra?.entries.at(-1)).toMatchObject({ kind: 'close', from: 'miner' });
    expect(rb?.entries).toEqual([
      { kind: 'mark', index: 1, t: expect.any(Number), event: 'new-job' },
      { kind: 'close', index: 2, t: expect.any(Number), from: 'pool' },
    ]);
  });

  it('closes the miner and records why when the upstream refuses', async () => {
    const port = upstream.port;
    await upstream.close();
    await recorder.close();
    recorder = await startRecorder({
      listen: { host: '127.0.0.1', port: 0 },
      upstream: { host: '127.0.0.1', port },
      outDir: dir,
    });
    recorder.on('session-end', (s) => ended.push(s));
    const miner = await dial(recorder.port);
    const closed = new Promise<void>((r) => miner.once('close', () => r()));
    await closed;
    await until('the session file', () => ended.length === 1);
    const file = readdirSync(dir)[0] as string;
    const rec = parseRecording(readFileSync(join(dir, file), 'utf8'), file);
    expect(rec.entries).toEqual([
      { kind: 'close', index: 1, t: expect.any(Number), from: 'pool', error: 'ECONNREFUSED' },
    ]);
  });

  it('close() cuts live sessions and waits until their files are complete', async () => {
    const miner = await dial(recorder.port);
    await until('upstream', () => upstream.sockets.length === 1);
    miner.write('{"id":1,"method":"mining.subscribe","params":[]}\n');
    await until('line upstream', () => upstream.received.length > 0);
    await recorder.close();
    expect(recorder.openSessions).toBe(0);
    expect(ended).toHaveLength(1);
    const file = readdirSync(dir)[0] as string;
    const rec = parseRecording(readFileSync(join(dir, file), 'utf8'), file);
    expect(rec.entries[0]).toMatchObject({ kind: 'line', from: 'miner' });
    expect(rec.entries.at(-1)?.kind).toBe('close');
  });
});
