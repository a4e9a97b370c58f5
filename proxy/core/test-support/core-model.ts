import fc from 'fast-check';
import { coreBench } from './core-bench.js';
import type { CoreBench } from './core-bench.js';
import { CoreInvariants } from './core-invariants.js';
import type { PoolMode, VerdictMode } from './fake-pool.js';
import type { SubmitKind } from './test-miner.js';

/**
 * Model-based fault tests: random interleavings of miner actions and pool faults drive the core in
 * memory (manual clock, in-memory pairs, a fake pool that hashes every share), and the invariants
 * in CoreInvariants are checked after every step. The seed is fixed so CI runs the same 10,000+
 * steps every time; KAROO_MODEL_SEED=<n> or =random explores others (a failure prints its seed
 * and the shrunk command list, which then becomes a named test in pool-fault-regressions).
 */

interface Real {
  b: CoreBench;
  inv: CoreInvariants;
}

type Model = Record<string, never>;

/** Steps run so far in this worker (each test file asserts its own share). */
let steps = 0;

abstract class Step implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }

  async run(_m: Model, r: Real): Promise<void> {
    steps += 1;
    await this.act(r);
    await r.b.settle();
    r.inv.check();
  }

  abstract act(r: Real): Promise<void> | void;
  abstract toString(): string;
}

const pick = <T>(list: readonly T[], index: number): T | undefined =>
  list.length === 0 ? undefined : list[index % list.length];

type MinerKind = 'nerdminer' | 'bitaxe' | 'cpuminer';

class Connect extends Step {
  constructor(readonly kind: MinerKind) {
    super();
  }
  act({ b }: Real): void {
    const m = b.connect(`${this.kind}.${b.miners.length + 1}`);
    if (this.kind === 'bitaxe') {
      m.configure('ffffffff');
      m.subscribe('bitaxe/BM1366/v2.4.0');
      m.authorize();
      m.suggestDifficulty(1000);
      m.extranonceSubscribe();
    } else if (this.kind === 'nerdminer') {
      // NerdMiner's extranonce2 is "00000001" for every job (src/utils.cpp, calculateMiningData).
      m.fixedExtranonce2 = true;
      m.subscribe('NerdMinerV2/V1.8.3');
      m.authorize();
      m.suggestDifficulty(0.00015);
    } else {
      m.subscribe('cpuminer/2.5.1');
      m.extranonceSubscribe();
      m.authorize();
    }
  }
  toString(): string {
    return `Connect(${this.kind})`;
  }
}

type Request =
  'subscribe' | 'authorize' | 'configure' | 'extranonce' | 'suggest' | 'garbage' | 'ping' | 'bad-worker';

class MinerSends extends Step {
  constructor(
    readonly miner: number,
    readonly what: Request,
  ) {
    super();
  }
  act({ b }: Real): void {
    const m = pick(
      b.miners.filter((x) => !x.isClosed),
      this.miner,
    );
    if (!m) return;
    switch (this.what) {
      case 'subscribe':
        return void m.subscribe();
      case 'authorize':
        return void m.authorize();
      case 'configure':
        return void m.configure('1fffe000');
      case 'extranonce':
        return void m.extranonceSubscribe();
      case 'suggest':
        return void m.suggestDifficulty(0.001);
      case 'ping':
        return void m.send('mining.ping', []);
      case 'bad-worker':
        return void m.submit('valid', 'not.authorized');
      case 'garbage': {
        m.end.sendRaw('{"id": 99, "method": \n');
        return;
      }
    }
  }
  toString(): string {
    return `MinerSends(${this.miner}, ${this.what})`;
  }
}

class Submit extends Step {
  constructor(
    readonly miner: number,
    readonly kind: SubmitKind,
  ) {
    super();
  }
  act({ b }: Real): void {
    pick(
      b.miners.filter((x) => !x.isClosed),
      this.miner,
    )?.submit(this.kind);
  }
  toString(): string {
    return `Submit(${this.miner}, ${this.kind})`;
  }
}

class Disconnect extends Step {
  constructor(readonly miner: number) {
    super();
  }
  act({ b }: Real): void {
    pick(
      b.miners.filter((x) => !x.isClosed),
      this.miner,
    )?.close();
  }
  toString(): string {
    return `Disconnect(${this.miner})`;
  }
}

type PoolFault =
  | { kind: 'mode'; mode: PoolMode }
  | { kind: 'verdicts'; mode: VerdictMode }
  | { kind: 'resume'; on: boolean }
  | { kind: 'configure'; answer: boolean }
  | { kind: 'drop' }
  | { kind: 'set-extranonce' }
  | { kind: 'reconnect'; to: 'same' | 'domain' | 'foreign' | 'port' }
  | { kind: 'job'; clean: boolean; newBlock: boolean }
  | { kind: 'resend-job' }
  | { kind: 'difficulty'; value: number }
  | { kind: 'release'; reversed: boolean };

class Pool extends Step {
  constructor(readonly fault: PoolFault) {
    super();
  }
  act({ b }: Real): void {
    const f = this.fault;
    const p = b.pool;
    switch (f.kind) {
      case 'mode':
        return void (p.mode = f.mode);
      case 'verdicts':
        return void (p.verdicts = f.mode);
      case 'resume':
        return void (p.resume = f.on);
      case 'configure':
        return void (p.answerConfigure = f.answer);
      case 'drop':
        return p.dropAll();
      case 'set-extranonce':
        return p.setExtranonce();
      case 'reconnect':
        if (f.to === 'same') return p.clientReconnect();
        if (f.to === 'port') return p.clientReconnect(undefined, 3334);
        return p.clientReconnect(f.to === 'domain' ? 'eu.pool.example' : 'evil.example.net', 3333);
      case 'job':
        return void p.newJob({ clean: f.clean, newBlock: f.newBlock });
      case 'resend-job':
        return p.resendJob();
      case 'difficulty':
        return p.setDifficulty(f.value);
      case 'release':
        return p.releaseHeld(f.reversed);
    }
  }
  toString(): string {
    return `Pool(${JSON.stringify(this.fault)})`;
  }
}

class Advance extends Step {
  constructor(readonly ms: number) {
    super();
  }
  async act({ b }: Real): Promise<void> {
    await b.tick(this.ms);
  }
  toString(): string {
    return `Advance(${this.ms})`;
  }
}

/** The pool heals; within a bounded time every request is answered and every ready miner has the current job. */
class Heal extends Step {
  async act({ b, inv }: Real): Promise<void> {
    const p = b.pool;
    p.mode = 'normal';
    p.verdicts = 'normal';
    p.releaseHeld();
    await b.settle();
    // Backoff ceiling (60 s) + handshake timeout (10 s) + a job interval.
    for (let t = 0; t < 100_000 && b.core.upstreamState !== 'ready'; t += 500) await b.tick(500);
    await b.tick(2_000);
    p.newJob({ clean: false });
    await b.settle();
    inv.everyRequestAnswered();
    inv.everyReadyMinerHasTheCurrentJob();
  }
  toString(): string {
    return 'Heal()';
  }
}

const miner = fc.nat({ max: 40 });
const commands = [
  fc.constantFrom<MinerKind>('nerdminer', 'bitaxe', 'cpuminer').map((k) => new Connect(k)),
  fc
    .tuple(
      miner,
      fc.constantFrom<Request>(
        'subscribe',
        'authorize',
        'configure',
        'extranonce',
        'suggest',
        'garbage',
        'ping',
        'bad-worker',
      ),
    )
    .map(([m, w]) => new MinerSends(m, w)),
  fc
    .tuple(
      miner,
      fc.constantFrom<SubmitKind>(
        'valid',
        'valid',
        'valid',
        'duplicate',
        'other-case',
        'stale',
        'bad-extranonce2',
        'bad-ntime',
      ),
    )
    .map(([m, k]) => new Submit(m, k)),
  fc.tuple(miner, fc.constantFrom<SubmitKind>('valid', 'duplicate')).map(([m, k]) => new Submit(m, k)),
  miner.map((m) => new Disconnect(m)),
  fc
    .oneof(
      fc
        .constantFrom<PoolMode>('normal', 'refuse', 'hang', 'drop-after-handshake')
        .map((mode) => ({ kind: 'mode', mode }) as const),
      fc
        .constantFrom<VerdictMode>('normal', 'hold', 'double', 'lose')
        .map((mode) => ({ kind: 'verdicts', mode }) as const),
      fc.boolean().map((on) => ({ kind: 'resume', on }) as const),
      fc.boolean().map((answer) => ({ kind: 'configure', answer }) as const),
      fc.constant({ kind: 'drop' } as const),
      fc.constant({ kind: 'set-extranonce' } as const),
      fc.constantFrom('same', 'domain', 'foreign', 'port').map((to) => ({ kind: 'reconnect', to }) as const),
      fc.record({ kind: fc.constant('job' as const), clean: fc.boolean(), newBlock: fc.boolean() }),
      fc.constant({ kind: 'resend-job' } as const),
      fc.constantFrom(1e-10, 1e-10, 0.5, 2).map((value) => ({ kind: 'difficulty', value }) as const),
      fc.boolean().map((reversed) => ({ kind: 'release', reversed }) as const),
    )
    .map((f) => new Pool(f as PoolFault)),
  fc.constantFrom(50, 300, 800, 2_500, 12_000, 31_000).map((ms) => new Advance(ms)),
  fc.constant(new Heal()),
];

const SUGGESTION_HABITS = ['any', 'once', 'integer', 'none'] as const;

/** Runs per fast-check batch; batches go on until the steps asked for are reached. */
const RUNS_PER_BATCH = 30;
/** A generator that makes (almost) no steps fails instead of looping. */
const MAX_BATCHES = 12;

/**
 * Runs random command sequences (up to 120 steps each) from `seed` until at least `minSteps`
 * steps have run, checking every invariant after every step; throws fast-check's report (seed,
 * shrunk commands) on a violation. KAROO_MODEL_SEED=<n> or =random overrides the seed. Returns
 * the steps run.
 */
export async function runCoreModel(defaultSeed: number, minSteps: number): Promise<number> {
  const chosen = process.env.KAROO_MODEL_SEED;
  const seed =
    chosen === undefined
      ? defaultSeed
      : chosen === 'random'
        ? Date.now() ^ (Math.random() * 0x7fffffff)
        : Number(chosen);
  const before = steps;
  for (let batch = 0; batch < MAX_BATCHES && steps - before < minSteps; batch += 1)
    await modelBatch((seed + batch) | 0);
  return steps - before;
}

async function modelBatch(seed: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      fc.commands(commands, { maxCommands: 120, size: 'max' }),
      fc.integer({ min: 1, max: 1000 }),
      async (cmds, s) => {
        // Half the runs ask the pool for a difficulty, of a pool that takes any, one, integers or none.
        const b = coreBench({
          seed: s,
          core: { upstream: { failoverAfter: 2 }, upstreamSuggest: s % 2 === 0 ? 'auto' : 'off' },
        });
        b.pool.suggestions = SUGGESTION_HABITS[Math.floor(s / 2) % SUGGESTION_HABITS.length] ?? 'any';
        // A third resume as ckpool does, by its own subscription id.
        if (s % 3 === 0) b.pool.resumeBy = 'subscription';
        const real: Real = { b, inv: new CoreInvariants(b) };
        try {
          await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
        } finally {
          await b.core.stop();
        }
      },
    ),
    { numRuns: RUNS_PER_BATCH, seed, verbose: 1 },
  );
}
