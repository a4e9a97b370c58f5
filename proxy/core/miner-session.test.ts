import { describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { MAX_BAD_LINES, MAX_QUEUED_LINES } from './index.js';
import { coreBench } from './test-support/core-bench.js';

describe('miner session: one answer per request, in order', () => {
  it('answers a subscribe waiting for a cold upstream before the authorize that followed it', async () => {
    const b = coreBench();
    b.pool.mode = 'hang';
    const m = b.connect();
    const sub = m.subscribe();
    const auth = m.authorize();
    await b.settle();
    expect(m.answers.size).toBe(0);
    await b.tick(b.options.coldStartWaitMs);
    // The pool never answered: the miner hears why, in order, rather than silence.
    expect([...m.answers.keys()]).toEqual([sub, auth]);
    expect(m.answer(sub)?.error).toEqual([
      20,
      'Other/Unknown: upstream pool unavailable, try again later',
      null,
    ]);
  });

  it('gives request ids back as they came, whatever their JSON type', async () => {
    const b = coreBench();
    const m = await b.miner();
    const lines: string[] = [];
    m.end.on('line', (l) => lines.push(l));
    m.end.sendRaw(
      '{"id":"abc","method":"mining.ping","params":[]}\n{"id":7.5,"method":"mining.ping","params":[]}\n',
    );
    await b.settle();
    expect(lines).toEqual([
      '{"id":"abc","result":"pong","error":null}',
      '{"id":7.5,"result":"pong","error":null}',
    ]);
  });

  it('answers bad lines with their JSON-RPC error and disconnects after too many', async () => {
    const b = coreBench();
    const m = await b.miner();
    m.send('mining.unknown_thing', []);
    m.send('mining.submit', ['only-a-worker']);
    m.end.sendRaw('{not json}\n');
    await b.settle();
    const codes = [...m.answers.values()].slice(2).map((a) => (a[0]?.error as unknown[])[0]);
    expect(codes).toEqual([-32601, -32602]);
    expect((m.unattributed[0] as unknown[])[0]).toBe(-32700);
    for (let i = 0; i < MAX_BAD_LINES; i += 1) m.end.sendRaw('garbage\n');
    await b.settle();
    expect(m.isClosed).toBe(true);
    expect(b.core.minerCount).toBe(0);
  });

  it('answers the lines before an oversized one, then closes', async () => {
    const b = coreBench({ core: { minerLineCap: 256 } });
    const m = await b.miner();
    const ping = m.send('mining.ping', []);
    m.end.sendRaw(`{"id":9,"method":"mining.subscribe","params":["${'x'.repeat(400)}"]}\n`);
    await b.settle();
    expect(m.answer(ping)?.result).toBe('pong');
    expect(m.isClosed).toBe(true);
  });

  it('pauses a miner past the queue bound and still answers every request of a burst', async () => {
    const b = coreBench();
    b.pool.mode = 'hang';
    const m = b.connect();
    m.subscribe();
    for (let i = 0; i < MAX_QUEUED_LINES + 200; i += 1) m.send('mining.ping', []);
    await b.settle();
    await b.tick(b.options.coldStartWaitMs);
    expect(m.unanswered()).toEqual([]);
    expect(m.isClosed).toBe(false);
  });
});

describe('miner session: what is answered locally', () => {
  it('refuses work before subscribe (25) and from a worker that did not authorize (24)', async () => {
    const b = coreBench();
    const m = b.connect();
    const early = m.send('mining.submit', ['w', '1', '00', '66000000', '00000000']);
    await b.settle();
    expect((m.answer(early)?.error as unknown[])[0]).toBe(25);
  });

  it('honours the first suggest_difficulty at once (the job re-sent), and ignores NerdMiner’s keepalive repeats', async () => {
    const b = coreBench({ pool: { difficulty: 1 } });
    const m = b.connect('rig.nerd');
    m.subscribe();
    m.authorize();
    m.suggestDifficulty(0.00015);
    await b.settle();
    expect(m.difficulty).toBe(0.00015);
    const notifies = m.notifications.filter((n) => n.method === 'mining.notify').length;
    m.suggestDifficulty(0.00015);
    m.suggestDifficulty(0.5);
    await b.settle();
    expect(m.difficulty).toBe(0.00015);
    expect(m.notifications.filter((n) => n.method === 'mining.notify')).toHaveLength(notifies);
  });

  it('caps a miner’s difficulty at the pool’s, so no share the pool would take is refused', async () => {
    const b = coreBench({ pool: { difficulty: 0.001 } });
    const m = b.connect();
    m.subscribe();
    m.authorize();
    m.suggestDifficulty(1000);
    await b.settle();
    expect(m.difficulty).toBe(0.001);
  });

  it('grants the intersection of the miner’s mask and the pool’s, and answers ping and extranonce.subscribe', async () => {
    const b = coreBench();
    const m = b.connect();
    m.subscribe();
    await b.settle();
    const configure = m.configure('ffffffff');
    const ext = m.extranonceSubscribe();
    const ping = m.send('mining.ping', []);
    await b.settle();
    expect(m.answer(configure)?.result).toEqual({
      'version-rolling': true,
      'version-rolling.mask': '1fffe000',
    });
    expect(m.answer(ext)?.result).toBe(true);
    expect(m.answer(ping)?.result).toBe('pong');
  });

  it('sends each job as the same bytes to every miner', async () => {
    const b = coreBench();
    const [x, y] = [await b.miner(), await b.miner()];
    const lines: string[][] = [[], []];
    x.end.on('line', (l) => lines[0]?.push(l));
    y.end.on('line', (l) => lines[1]?.push(l));
    b.pool.newJob({ clean: false });
    await b.settle();
    expect(lines[0]).toHaveLength(1);
    expect(lines[0]).toEqual(lines[1]);
  });
});

describe('compat.local_authorize off: the pool authorizes each worker', () => {
  it('forwards each new worker name once on the shared session and answers with the pool’s verdict', async () => {
    const b = coreBench({ core: { localAuthorize: false } });
    const m = b.connect('rig');
    m.subscribe();
    const ok = m.authorize('rack.good-01', 'pw');
    const again = m.authorize('rack.good-01', 'pw');
    const refused = m.authorize('refused.bad-01', 'pw');
    await b.settle();
    expect(m.answer(ok)?.result).toBe(true);
    expect(m.answer(again)?.result).toBe(true);
    expect(m.answer(refused)?.error).toEqual([
      24,
      'Unauthorized worker: the pool refused refused.bad-01: 24 Unauthorized worker',
      null,
    ]);
    expect(b.pool.live[0]?.extraWorkers).toEqual(['rack.good-01', 'refused.bad-01']);
    // Shares still go up under the upstream user.
    const share = m.submit('valid', 'rack.good-01') as number;
    await b.settle();
    expect(m.answer(share)?.result).toBe(true);
    expect(b.pool.live[0]?.user).toBe('rack.upstream');
  });

  it('answers locally by default: the pool never sees a miner’s authorize', async () => {
    const b = coreBench();
    await b.miner('rack.local-01');
    expect(b.pool.live[0]?.extraWorkers).toEqual([]);
  });
});

describe('miner session: its child logger', () => {
  function capturingLogger(level: string) {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level },
      { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) },
    );
    const child = vi.spyOn(logger, 'child');
    const made = (): unknown[] => child.mock.calls.map(([bindings]) => bindings);
    return { logger, lines, made };
  }

  it('is made only when the miner has something to log at the level in force, and names it', async () => {
    const { logger, lines, made } = capturingLogger('warn');
    const b = coreBench({ logger, core: { minerLineCap: 256 } });
    const quiet = await b.miner();
    const loud = await b.miner();
    quiet.send('mining.ping', []);
    await b.settle();
    // Two miners subscribed, authorized and mining: nothing at warn, so no logger of their own.
    expect(made().filter((x) => typeof x === 'object' && x !== null && 'conn' in x)).toEqual([]);

    loud.end.sendRaw(`{"id":9,"method":"mining.subscribe","params":["${'x'.repeat(400)}"]}\n`);
    await b.settle();
    const warned = lines.find((l) => l.msg === 'miner sent a line over the cap; disconnecting');
    expect(warned).toMatchObject({ conn: 2, cap: 256 });
    expect(String(warned?.remote)).toMatch(/^10\.0\.0\.2:/);
    expect(made().filter((x) => typeof x === 'object' && x !== null && 'conn' in x)).toHaveLength(1);
  });

  it('at info every miner’s connect is logged with its id and address', async () => {
    const { logger, lines } = capturingLogger('info');
    const b = coreBench({ logger });
    await b.miner();
    await b.miner();
    const connected = lines.filter((l) => l.msg === 'miner connected');
    expect(connected.map((l) => [l.conn, l.remote])).toEqual([
      [1, '10.0.0.1:40000'],
      [2, '10.0.0.2:40000'],
    ]);
  });
});
