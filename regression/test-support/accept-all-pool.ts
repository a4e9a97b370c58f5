import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { LineConnection } from '../../runtime/line-connection.js';
import {
  DEFAULT_MINER_LINE_CAP,
  StratumError,
  buildConfigureResult,
  buildSubscribeResult,
  encodeError,
  encodeMessage,
  encodeResult,
  parseMessage,
  request,
  u32ToHex,
} from '../../stratum/index.js';
import type { JobParams, StratumMessage } from '../../stratum/index.js';

/**
 * A deliberately broken pool for tests: it speaks Stratum well enough (subscribe, authorize,
 * configure, ping, set_difficulty before notify, a line cap) but answers every mining.submit
 * with true without looking at it. The conformance run must fail its share checks.
 */
export interface AcceptAllPool {
  port: number;
  newJob(): void;
  newBlock(): void;
  close(): Promise<void>;
}

export async function startAcceptAllPool(difficulty = 1e-6): Promise<AcceptAllPool> {
  const conns = new Set<LineConnection>();
  const working = new Set<LineConnection>();
  let seq = 0;
  let job = makeJob(++seq, true);
  const sendJob = (c: LineConnection, clean: boolean): void => {
    c.send(encodeMessage(notify({ ...job, cleanJobs: clean })));
  };
  const server: Server = createServer((socket) => {
    const conn = new LineConnection(socket, { lineCap: DEFAULT_MINER_LINE_CAP });
    conns.add(conn);
    conn.on('close', () => {
      conns.delete(conn);
      working.delete(conn);
    });
    let en1 = '';
    conn.on('line', (line) => {
      let msg: StratumMessage;
      try {
        msg = parseMessage(line);
      } catch (err) {
        if (err instanceof StratumError) conn.send(encodeError(err.requestId ?? null, err));
        return;
      }
      if (msg.type === 'response') return;
      if (msg.type === 'unknown') {
        conn.send(encodeError(msg.id, new StratumError('METHOD_NOT_FOUND', msg.method)));
        return;
      }
      switch (msg.method) {
        case 'mining.subscribe':
          en1 ||= randomBytes(4).toString('hex');
          conn.send(encodeResult(msg.id, buildSubscribeResult('1', en1, 4)));
          return;
        case 'mining.authorize':
          conn.send(encodeResult(msg.id, true));
          if (!working.has(conn)) {
            working.add(conn);
            conn.send(encodeMessage(request('mining.set_difficulty', { difficulty })));
            sendJob(conn, true);
          }
          return;
        case 'mining.configure':
          conn.send(encodeResult(msg.id, buildConfigureResult(msg.params.extensions, 0x1fffe000)));
          return;
        case 'mining.ping':
          conn.send(encodeResult(msg.id, 'pong'));
          return;
        case 'mining.submit':
          conn.send(encodeResult(msg.id, true));
          return;
        default:
          conn.send(encodeResult(msg.id, true));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    newJob: () => {
      job = makeJob(++seq, false);
      for (const c of working) sendJob(c, false);
    },
    newBlock: () => {
      job = makeJob(++seq, true);
      for (const c of working) sendJob(c, true);
    },
    close: async () => {
      for (const c of conns) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function notify(job: JobParams): StratumMessage {
  return request('mining.notify', job);
}

function makeJob(n: number, clean: boolean): JobParams {
  return {
    jobId: n.toString(16),
    prevhash: randomBytes(32).toString('hex'),
    coinb1: `01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20${u32ToHex(n)}`,
    coinb2: 'ffffffff0100f2052a010000001976a914000000000000000000000000000000000000000088ac00000000',
    merkleBranches: [randomBytes(32).toString('hex')],
    version: '20000000',
    nbits: '17029a8a',
    ntime: u32ToHex(Math.floor(Date.now() / 1000)),
    cleanJobs: clean,
  };
}
