import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SerialPort } from 'serialport';
import { startMiner } from '../simulator/miners/index.js';
import type { SimulatedMiner } from '../simulator/miners/index.js';
import { openSerialPort } from './boards/serial-port.js';
import { findElements, parseXml } from '../test-support/xml-check.js';
import { createPtyPair } from './virtual/pty-pair.js';
import type { PtyPair } from './virtual/pty-pair.js';
import { UartWriter } from './virtual/uart-writer.js';
import { freePort } from '../test-support/free-ports.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'dist/cli/main.js');
const WORKER = 'bc1qkaroohilresetfailure.rig1';

let dir: string | undefined;
let pty: PtyPair | undefined;
let uart: SerialPort | undefined;
let miner: SimulatedMiner | undefined;

afterEach(async () => {
  await miner?.stop();
  if (uart?.isOpen) await new Promise((resolve) => uart!.close(resolve));
  await pty?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  [dir, pty, uart, miner] = [undefined, undefined, undefined, undefined];
});

describe('karoo hil on a board whose reset fails (built CLI)', () => {
  it('fails that case with its reason, runs the others and writes the JUnit report', async () => {
    dir = mkdtempSync(join(tmpdir(), 'karoo-hil-reset-'));
    // A "real" board on a pseudo-terminal: the harness opens it as any serial port, and its
    // esptool reset fails because a pty has no DTR/RTS lines. A simulated NerdMiner prints the
    // firmware's console into the other end and mines on its own, as a board that never reset.
    pty = await createPtyPair({ dir });
    uart = await openSerialPort(pty.a);
    const console = new UartWriter(uart);
    const port = await freePort();
    const junit = join(dir, 'out.xml');
    const child = spawn(
      process.execPath,
      [
        MAIN,
        'hil',
        '--port',
        pty.b,
        '--direct',
        '--listen',
        `127.0.0.1:${port}`,
        '--difficulty',
        '2e-5',
        '--worker',
        WORKER,
        '--scenario',
        'boots-and-connects,subscribe-authorize,shares-accepted',
        '--junit',
        junit,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      // Power the board on once the harness reads its console (its first line is the header).
      miner ??= startMiner({
        profile: 'nerdminer',
        url: `stratum+tcp://127.0.0.1:${port}`,
        worker: WORKER,
        hashrate: 120_000,
        reconnectDelayMs: [100, 300],
        console: (line) => console.writeLine(line),
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL {2}\S+ {2}boots-and-connects .*serial set \(assert EN\) failed/m);
    expect(stdout).toMatch(/^PASS {2}\S+ {2}subscribe-authorize /m);
    expect(stdout).toMatch(/^PASS {2}\S+ {2}shares-accepted /m);
    expect(stdout).toMatch(/^karoo hil: 2 passed, 1 failed, 0 skipped of 3 in /m);
    const root = parseXml(readFileSync(junit, 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '3', failures: '1', skipped: '0' });
    const cases = findElements(root, 'testcase');
    expect(cases.map((c) => [c.attributes.name, findElements(c, 'failure')[0]?.attributes.type])).toEqual([
      ['boots-and-connects', 'SERIAL_CONTROL_FAILED'],
      ['subscribe-authorize', undefined],
      ['shares-accepted', undefined],
    ]);
  }, 150_000);
});
