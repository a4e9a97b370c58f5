import type { Clock, TimerHandle } from '../../runtime/clock.js';
import {
  bootLines,
  difficultyLine,
  hashrateLine,
  MINING_SUBSCRIBE,
  PARSED_UNKNOWN,
  PARSING_DIFFICULTY,
  PARSING_NOTIFY,
  subscribeDetails,
  txShareLines,
} from '../../simulator/miners/profiles/nerdminer-console.js';
import type { BoardHandle } from '../boards/serial-board.js';
import { BoardConsole } from '../serial/board-console.js';
import type { FakeSession } from './fake-bench.js';

/** What the firmware does with a message it does not handle. */
export type Reaction = 'ignore' | 'follow';

export interface ScriptedNerdMinerOptions {
  name: string;
  worker: string;
  clock: Clock;
  /** The bench's view of this board's session (the fake bench keeps it). */
  session: FakeSession;
  /** A share found every this many ms while mining. */
  shareEveryMs?: number;
  /** Its hash rate line says this, once a second. */
  khs?: number;
  /** Pool answers: true (accepted) or an error code, per share in order; accepted when they run out. */
  answers?: (true | number)[];
  /** A reset that throws this, or never returns ('hang'). */
  resetFails?: Error | 'hang';
  /** What it does with client.reconnect and set_extranonce (NerdMiner ignores both). */
  reaction?: Reaction;
}

let nextExtranonce = 0x1000;
/** A fresh extranonce1, as a pool hands out. */
export function freshExtranonce1(): string {
  nextExtranonce += 1;
  return nextExtranonce.toString(16).padStart(8, '0');
}

/**
 * A NerdMiner in memory: its console prints the firmware's lines (simulator/miners/profiles/
 * nerdminer-console.ts) for what happens to it, on the injected clock, and its session on the fake
 * bench follows. Scenarios run against it exactly as against a real board's console.
 */
export class ScriptedNerdMiner implements BoardHandle {
  readonly name: string;
  readonly info;
  readonly console: BoardConsole;
  readonly session: FakeSession;
  resets = 0;
  /** Set by a pool whose set_extranonce it ignored: its shares are mined for the wrong extranonce1. */
  minesStale = false;
  private mining: TimerHandle | undefined;
  private monitor: TimerHandle | undefined;
  private nextId = 10;
  private shares = 0;

  constructor(private readonly o: ScriptedNerdMinerOptions) {
    this.name = o.name;
    this.info = { path: `/dev/fake-${o.name}`, source: 'explicit' as const };
    this.console = new BoardConsole({ name: o.name, clock: o.clock });
    this.session = o.session;
  }

  async reset(): Promise<void> {
    this.resets++;
    if (this.o.resetFails === 'hang') return new Promise<void>(() => undefined);
    if (this.o.resetFails !== undefined) throw this.o.resetFails;
    this.stop();
    this.session.connected = false;
    this.print('rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)');
    for (const line of bootLines('127.0.0.1')) if (line !== '') this.print(line);
    this.o.clock.setTimeout(() => this.connect(this.session.extranonce1 ?? freshExtranonce1()), 300);
  }

  async close(): Promise<void> {
    this.stop();
  }

  /** Subscribes (with this extranonce1), authorizes, gets the pool's difficulty and a job, mines. */
  connect(extranonce1: string): void {
    const s = this.session;
    this.print('Client not connected, trying to connect...');
    this.print(MINING_SUBSCRIBE);
    this.print('  Sending  : {"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}');
    this.print(`  Receiving: {"id":1,"result":[[["mining.notify","1"]],"${extranonce1}",4],"error":null}`);
    for (const line of subscribeDetails('1', extranonce1, 4)) this.print(line);
    this.print(`  Sending  : {"params": ["${this.o.worker}", "x"], "id": 2, "method": "mining.authorize"}`);
    this.print('  Receiving: {"id":2,"result":true,"error":null}');
    Object.assign(s, { connected: true, connectedAt: this.o.clock.now(), extranonce1 });
    this.minesStale = false;
    this.difficulty(s.difficulty ?? 2e-5);
    this.job();
    this.stop();
    this.mining = this.o.clock.setInterval(() => this.share(), this.o.shareEveryMs ?? 1500);
    this.monitor = this.o.clock.setInterval(
      () => this.print(hashrateLine(0, 1000, this.o.khs ?? 58.2)),
      1000,
    );
  }

  /** The connection went away (the pool or proxy closed it); the firmware reconnects 100 ms later. */
  disconnected(extranonce1: string): void {
    this.stop();
    this.session.connected = false;
    this.o.clock.setTimeout(() => this.connect(extranonce1), 100);
  }

  difficulty(d: number): void {
    this.print(`  Receiving: {"id":null,"method":"mining.set_difficulty","params":[${d}]}`);
    this.print(PARSING_DIFFICULTY);
    this.print(difficultyLine(d));
    this.session.difficulty = d;
  }

  job(): void {
    this.print(
      '  Receiving: {"id":null,"method":"mining.notify","params":["1f3a","cd9c7b86fe2e67c0aef4768a672e290f97af41e290dbbdc4e4d8e6442545cf69","01","ff",[],"20000000","1702905c","65f1a2b3",true]}',
    );
    this.print(PARSING_NOTIFY);
  }

  /** A message from the pool it has no handler for, or one it follows. */
  receive(method: 'client.reconnect' | 'mining.set_extranonce', params: unknown[]): Reaction {
    this.print(`  Receiving: {"id":null,"method":"${method}","params":${JSON.stringify(params)}}`);
    const reaction = this.o.reaction ?? 'ignore';
    if (reaction === 'ignore') this.print(PARSED_UNKNOWN);
    else if (method === 'mining.set_extranonce') {
      this.print(`    extranonce1: ${String(params[0])}`);
      this.session.extranonce1 = String(params[0]);
    }
    return reaction;
  }

  private share(): void {
    const s = this.session;
    const d = s.difficulty ?? 2e-5;
    const id = this.nextId++;
    const scripted = this.o.answers?.[this.shares++] ?? true;
    // A share on the extranonce1 the pool took back does not hash to what it claims (23).
    const answer = this.minesStale ? 23 : scripted;
    for (const line of txShareLines(d * 1.5, d, '0000'.padEnd(64, 'a'))) this.print(line);
    this.print(
      `  Sending  : {"id":${id},"method":"mining.submit","params":["${this.o.worker}","1f3a","00000001","65f1a2b3","0a0b0c0d"]}`,
    );
    if (answer === true) {
      this.print(`  Receiving: {"id":${id},"result":true,"error":null}`);
      s.accepted++;
      s.poolAccepted++;
    } else {
      this.print(`  Receiving: {"id":${id},"result":null,"error":[${answer},"Rejected",null]}`);
      s.rejected++;
      s.poolRejected++;
    }
  }

  private stop(): void {
    this.o.clock.clearInterval(this.mining);
    this.o.clock.clearInterval(this.monitor);
  }

  private print(line: string): void {
    this.console.feedLine(line);
  }
}
