import { describe, expect, it } from 'vitest';
import { discoverBoards } from './discovery.js';
import { openSerialBoard } from './serial-board.js';
import { listSystemPorts } from './serial-port.js';

/** The one hardware suite: runs against a real board when KAROO_HIL_PORT names its serial port. */
const HIL_PORT = process.env.KAROO_HIL_PORT;
const BOOT_TIMEOUT_MS = 30_000;

if (!HIL_PORT) {
  console.log(
    'real-board test skipped: KAROO_HIL_PORT is not set (e.g. KAROO_HIL_PORT=/dev/ttyACM0 npx vitest run hil/boards)',
  );
}

describe('real board on KAROO_HIL_PORT', () => {
  it.skipIf(!HIL_PORT)(
    'opens the port at 115200, hard-resets the board and sees it boot within 30 s',
    async () => {
      const [info] = await discoverBoards({ list: listSystemPorts, ports: [HIL_PORT!] });
      const board = await openSerialBoard(info!);
      try {
        const booted = board.console.waitFor((s, e) => e?.kind === 'boot' || s.boots > 0, {
          timeoutMs: BOOT_TIMEOUT_MS,
          description: 'a boot line after reset',
        });
        await board.reset();
        await booted;
        expect(board.console.history().some((h) => h.event.kind === 'boot')).toBe(true);
      } catch (err) {
        console.log(`last console lines from ${board.name}:`);
        for (const { event } of board.console.history().slice(-30))
          console.log(`  ${event.kind}: ${event.line}`);
        throw err;
      } finally {
        await board.close();
      }
    },
    BOOT_TIMEOUT_MS + 30_000,
  );
});
