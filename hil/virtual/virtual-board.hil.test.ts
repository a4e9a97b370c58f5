import { lstat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startPool } from '../../simulator/pool/index.js';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { UartWriter } from './uart-writer.js';
import { createVirtualBoard, createVirtualBoards, virtualWorkerName } from './virtual-board.js';
import type { VirtualBoard } from './virtual-board.js';

const boards: VirtualBoard[] = [];
const pools: PoolSimulator[] = [];

afterEach(async () => {
  await Promise.all(boards.splice(0).map((b) => b.close()));
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

async function pool(): Promise<PoolSimulator> {
  const p = await startPool({ port: 0, difficulty: 2e-5, maxDifficulty: 2e-5 });
  pools.push(p);
  return p;
}

describe('virtual board', () => {
  it('is powered off until reset; then its NerdMiner boots, mines over TCP and prints it over the pty', async () => {
    const p = await pool();
    const board = await createVirtualBoard({ index: 3, stratumUrl: p.url });
    boards.push(board);
    expect(board.name).toBe('virtual-3');
    expect(board.worker).toBe(virtualWorkerName(3));
    expect(board.info.path).toBe(board.pty.b);
    expect(board.miner).toBeUndefined();
    expect(board.console.state.lines).toBe(0);

    const mined = board.console.waitFor((s) => s.sharesAccepted >= 1, {
      timeoutMs: 30_000,
      description: 'an accepted share',
    });
    await board.reset();
    const state = await mined;
    expect(state).toMatchObject({
      firmware: 'nerdminer',
      boots: 1,
      resetReason: 'POWERON_RESET',
      subscribed: true,
      authorized: true,
      difficulty: 2e-5,
      sharesRejected: 0,
    });
    const lines = board.console.history().map((h) => h.event.line);
    expect(lines[0]).toBe('ets Jul 29 2019 12:21:46');
    expect(lines).toContain('NerdMiner v2 starting......');
    expect(lines).toContain(
      `  Sending  : {"params": ["${virtualWorkerName(3)}", "x"], "id": 2, "method": "mining.authorize"}`,
    );
    // The pool saw the same worker, on a real TCP session.
    expect(p.sessions().map((s) => s.workers)).toEqual([[virtualWorkerName(3)]]);
    expect(p.stats().workers[virtualWorkerName(3)]?.accepted).toBeGreaterThanOrEqual(1);
  });

  it('reset restarts the firmware: the old TCP session closes and the board boots again', async () => {
    const p = await pool();
    const board = await createVirtualBoard({ index: 1, stratumUrl: p.url, worker: 'bc1qtest.rig' });
    boards.push(board);
    await board.reset();
    await board.console.waitFor((s) => s.subscribed, { timeoutMs: 20_000 });
    const closed = new Promise((resolve) => p.once('session-close', resolve));
    const rebooted = board.console.waitFor((s) => s.boots === 2 && s.subscribed, { timeoutMs: 20_000 });
    await board.reset();
    await closed;
    await rebooted;
    expect(p.stats().totals.connections).toBe(2);
    expect(p.sessions().map((s) => s.workers)).toEqual([['bc1qtest.rig']]);
  });

  it('close stops the firmware and socat and removes the pty links', async () => {
    const p = await pool();
    const [a, b] = await createVirtualBoards(2, { stratumUrl: p.url });
    expect([a!.name, b!.name]).toEqual(['virtual-1', 'virtual-2']);
    await a!.reset();
    await a!.console.waitFor((s) => s.subscribed, { timeoutMs: 20_000 });
    const closed = new Promise((resolve) => p.once('session-close', resolve));
    await Promise.all([a!.close(), b!.close()]);
    await closed;
    expect(a!.miner).toBeUndefined();
    for (const path of [a!.pty.a, a!.pty.b, b!.pty.a, b!.pty.b]) {
      await expect(lstat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    }
    await expect(a!.reset()).rejects.toThrow('closed');
  });
});

describe('UartWriter', () => {
  it('writes CRLF-terminated lines and drops (and counts) lines past its backlog', () => {
    const chunks: string[] = [];
    // A reader that never takes anything: every write stays queued.
    const stuck = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, _done) {
        chunks.push(chunk.toString());
      },
    });
    const uart = new UartWriter(stuck, 10);
    expect(uart.writeLine('0123456789')).toBe(true);
    expect(uart.writeLine('next')).toBe(false);
    expect(uart.writeLine('and next')).toBe(false);
    expect(uart.dropped).toBe(2);
    expect(chunks).toEqual(['0123456789\r\n']);
    stuck.destroy();
    expect(uart.writeLine('after close')).toBe(false);
    expect(uart.dropped).toBe(3);
  });
});
