import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../runtime/logger.js';
import type { InMemoryLineEnd } from '../../../runtime/test-support/in-memory-line-pair.js';
import { linePair, settle } from '../../../runtime/test-support/in-memory-line-pair.js';
import { ManualClock } from '../../../runtime/test-support/manual-clock.js';
import { DEFAULT_UPSTREAM_TIMINGS } from '../core-options.js';
import type { UpstreamJob } from './upstream-connection.js';
import { UpstreamConnection } from './upstream-connection.js';

const endpoint = {
  host: 'pool.example',
  port: 3333,
  user: 'rack',
  pass: 'x',
  tls: false,
  insecureSkipVerify: false,
};
const NOTIFY = ['j1', '0'.repeat(64), 'aa', 'bb', [], '20000000', '1d00ffff', '66000000', true];

type Line = { id: number | null; method?: string; params?: unknown[] };

/** An upstream connection whose pool end the test answers by hand. */
function connection(opts: { resume?: string; skipConfigure?: boolean } = {}) {
  const clock = new ManualClock(1_000_000);
  const [proxyEnd, poolEnd] = linePair();
  const received: Line[] = [];
  poolEnd.on('line', (l) => received.push(JSON.parse(l) as Line));
  const conn = new UpstreamConnection({
    endpoint,
    dial: async () => proxyEnd,
    logger: silentLogger(),
    clock,
    userAgent: 'karoo/test',
    timings: DEFAULT_UPSTREAM_TIMINGS,
    notifyTimeoutMs: 60_000,
    ...(opts.resume ? { resumeSessionId: opts.resume } : {}),
    ...(opts.skipConfigure ? { skipConfigure: true } : {}),
  });
  const reply = (id: number | null, result: unknown, error: unknown = null): void => {
    poolEnd.send(JSON.stringify({ id, result, error }));
  };
  const request = (method: string): Line | undefined => received.find((r) => r.method === method);
  return { clock, conn, poolEnd, received, reply, request };
}

async function handshake(t: ReturnType<typeof connection>, en1 = 'cafe0001'): Promise<void> {
  const opened = t.conn.open();
  await settle();
  const configure = t.request('mining.configure');
  if (configure) t.reply(configure.id, { 'version-rolling': true, 'version-rolling.mask': '1fffe000' });
  t.reply(t.request('mining.subscribe')?.id ?? 0, [[['mining.notify', en1]], en1, 8]);
  await settle();
  t.reply(t.request('mining.authorize')?.id ?? 0, true);
  await opened;
}

const send = (end: InMemoryLineEnd, method: string, params: unknown[], id: number | null = null): void =>
  void end.send(JSON.stringify({ id, method, params }));

describe('UpstreamConnection handshake', () => {
  it('configures, subscribes offering the session to resume, authorizes, and is ready', async () => {
    const t = connection({ resume: 'cafe0001' });
    await handshake(t);
    expect(t.received.map((r) => r.method)).toEqual([
      'mining.configure',
      'mining.subscribe',
      'mining.authorize',
    ]);
    expect(t.request('mining.subscribe')?.params).toEqual(['karoo/test', 'cafe0001']);
    expect(t.request('mining.authorize')?.params).toEqual(['rack', 'x']);
    expect(t.conn).toMatchObject({
      ready: true,
      extranonce1: 'cafe0001',
      extranonce2Size: 8,
      versionMask: 0x1fffe000,
    });
  });

  it('holds jobs that come with the authorize answer until the handshake ends', async () => {
    const t = connection();
    const jobs: UpstreamJob[] = [];
    t.conn.on('job', (j) => jobs.push(j));
    const opened = t.conn.open();
    await settle();
    t.reply(t.request('mining.configure')?.id ?? 0, false);
    t.reply(t.request('mining.subscribe')?.id ?? 0, [[], 'cafe0001', 8]);
    await settle();
    send(t.poolEnd, 'mining.set_difficulty', [0.5]);
    send(t.poolEnd, 'mining.notify', NOTIFY);
    t.reply(t.request('mining.authorize')?.id ?? 0, true);
    await opened;
    expect(jobs).toEqual([]);
    const early = t.conn.takeEarlyJobs();
    expect(early.map((j) => [j.prepared.job.jobId, j.difficulty])).toEqual([['j1', 0.5]]);
    expect(t.conn.takeEarlyJobs()).toEqual([]);
    send(t.poolEnd, 'mining.notify', ['j2', ...NOTIFY.slice(1)]);
    await settle();
    expect(jobs.map((j) => j.prepared.job.jobId)).toEqual(['j2']);
  });

  it('goes on without version rolling when configure is never answered, and drops a late answer', async () => {
    const t = connection();
    const opened = t.conn.open();
    await settle();
    t.reply(t.request('mining.subscribe')?.id ?? 0, [[], 'cafe0001', 8]);
    await settle();
    await t.clock.tick(DEFAULT_UPSTREAM_TIMINGS.configureWaitMs);
    t.reply(t.request('mining.authorize')?.id ?? 0, true);
    await opened;
    expect(t.conn).toMatchObject({ ready: true, versionMask: 0, configureUnanswered: true });
    t.reply(t.request('mining.configure')?.id ?? 0, {
      'version-rolling': true,
      'version-rolling.mask': 'ffffffff',
    });
    await settle();
    expect(t.conn.versionMask).toBe(0);
  });

  it('sends no configure when told the pool leaves it unanswered', async () => {
    const t = connection({ skipConfigure: true });
    await handshake(t);
    expect(t.received.map((r) => r.method)).toEqual(['mining.subscribe', 'mining.authorize']);
  });

  it('fails, and closes, on a refused subscribe, a refused authorize, or no answer in time', async () => {
    const refused = connection();
    const a = refused.conn.open();
    await settle();
    refused.reply(refused.request('mining.subscribe')?.id ?? 0, null, [20, 'go away', null]);
    await expect(a).rejects.toThrow(/refused subscribe: 20 go away/);
    expect(refused.conn.isClosed).toBe(true);

    const unauthorized = connection();
    const b = unauthorized.conn.open();
    await settle();
    unauthorized.reply(unauthorized.request('mining.subscribe')?.id ?? 0, [[], 'aa', 8]);
    await settle();
    await unauthorized.clock.tick(DEFAULT_UPSTREAM_TIMINGS.configureWaitMs);
    unauthorized.reply(unauthorized.request('mining.authorize')?.id ?? 0, false);
    await expect(b).rejects.toThrow(/refused authorize for rack/);

    const silent = connection();
    const c = expect(silent.conn.open()).rejects.toThrow(/timed out/);
    await settle();
    await silent.clock.tick(DEFAULT_UPSTREAM_TIMINGS.handshakeTimeoutMs);
    await c;
    expect(silent.poolEnd.isClosed).toBe(true);
  });
});

describe('UpstreamConnection submits', () => {
  const share = {
    worker: 'rack',
    jobId: 'j1',
    extranonce2: '00000001',
    ntime: '66000000',
    nonce: '00000002',
  };

  it('gives every submit exactly one verdict: accepted, refused, timed out, or lost with the connection', async () => {
    const t = connection();
    await handshake(t);
    const ok = t.conn.submit(share);
    const refused = t.conn.submit(share);
    const late = t.conn.submit(share);
    await settle();
    const ids = t.received.filter((r) => r.method === 'mining.submit').map((r) => r.id as number);
    await t.clock.tick(5);
    t.reply(ids[0] as number, true);
    t.reply(ids[1] as number, false, [23, 'Low difficulty share', null]);
    await settle();
    expect(await ok).toMatchObject({ accepted: true, latencyMs: 5 });
    expect(await refused).toMatchObject({ accepted: false, error: { code: 23 } });
    await t.clock.tick(DEFAULT_UPSTREAM_TIMINGS.requestTimeoutMs);
    expect(await late).toMatchObject({
      accepted: false,
      error: { code: 20, message: 'no answer from the pool' },
    });
    // A second answer to the same id changes nothing.
    t.reply(ids[0] as number, false, [22, 'dup', null]);
    const lost = t.conn.submit(share);
    await settle();
    t.poolEnd.close();
    expect(await lost).toMatchObject({ accepted: false, error: { code: 20 } });
    expect(await t.conn.submit(share)).toMatchObject({ error: { message: 'upstream not connected' } });
  });

  it('says the pool’s difficulty as it was when the answer came, not after a set_difficulty read with it', async () => {
    const t = connection();
    await handshake(t);
    send(t.poolEnd, 'mining.set_difficulty', [0.5]);
    const a = t.conn.submit(share);
    await settle();
    const id = t.received.filter((r) => r.method === 'mining.submit').at(-1)?.id as number;
    // The answer and a new difficulty arrive in one read, before the verdict's continuation runs.
    t.poolEnd.sendRaw(
      `${JSON.stringify({ id, result: true, error: null })}\n` +
        `${JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [0.125] })}\n`,
    );
    expect(await a).toMatchObject({ accepted: true, poolDifficulty: 0.5 });
    expect(t.conn.difficulty).toBe(0.125);
  });

  it('retired, stays open for the verdicts it owes, then closes (or at the grace)', async () => {
    const t = connection();
    await handshake(t);
    const owed = t.conn.submit(share);
    await settle();
    t.conn.retire('replaced');
    expect(t.conn.isClosed).toBe(false);
    t.reply(t.received.at(-1)?.id as number, true);
    expect(await owed).toMatchObject({ accepted: true });
    await settle();
    expect(t.conn.isClosed).toBe(true);

    const u = connection();
    await handshake(u);
    const never = u.conn.submit(share);
    await settle();
    u.conn.retire('replaced');
    await u.clock.tick(DEFAULT_UPSTREAM_TIMINGS.retireGraceMs);
    expect(await never).toMatchObject({ accepted: false });
    expect(u.conn.isClosed).toBe(true);
  });
});

describe('UpstreamConnection while mining', () => {
  it('answers client.get_version and mining.ping, and hangs up on a pool that sends no job (zombie)', async () => {
    const t = connection();
    await handshake(t);
    send(t.poolEnd, 'client.get_version', [], 7);
    send(t.poolEnd, 'mining.ping', [], 8);
    const answers: { id: number; result: unknown }[] = [];
    t.poolEnd.on('line', (l) => answers.push(JSON.parse(l) as { id: number; result: unknown }));
    await settle();
    expect(answers).toEqual([
      { id: 7, result: 'karoo/test', error: null },
      { id: 8, result: 'pong', error: null },
    ]);
    const closed: string[] = [];
    t.conn.on('close', (r) => closed.push(r));
    await t.clock.tick(59_000);
    send(t.poolEnd, 'mining.notify', NOTIFY);
    await settle();
    await t.clock.tick(59_000);
    expect(closed).toEqual([]);
    await t.clock.tick(1_000);
    expect(closed).toEqual(['no-notify']);
  });

  it('passes on the pool’s extranonce, mask and reconnect, and survives lines it cannot use', async () => {
    const t = connection();
    await handshake(t);
    const events: unknown[] = [];
    t.conn.on('extranonce', (en1, size) => events.push(['extranonce', en1, size]));
    t.conn.on('version-mask', (m) => events.push(['mask', m]));
    t.conn.on('reconnect-request', (target) => events.push(['reconnect', target]));
    t.poolEnd.send('not json');
    send(t.poolEnd, 'mining.notify', ['j9', 'zz']);
    send(t.poolEnd, 'mining.set_extranonce', ['beef', 4]);
    send(t.poolEnd, 'mining.set_version_mask', ['00ffe000']);
    send(t.poolEnd, 'client.reconnect', ['eu.pool.example', 3334, 5]);
    await settle();
    expect(events).toEqual([
      ['extranonce', 'beef', 4],
      ['mask', 0x00ffe000],
      ['reconnect', { host: 'eu.pool.example', port: 3334, waitSeconds: 5 }],
    ]);
    expect(t.conn.isClosed).toBe(false);
  });
});
