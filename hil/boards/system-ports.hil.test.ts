import { describe, expect, it } from 'vitest';
import { filterBoards } from './discovery.js';
import { listSystemPorts } from './serial-port.js';

// The machine's own port list: serialport runs udevadm on Linux, so this is not a unit test.
describe('listSystemPorts', () => {
  it('calls the real SerialPort.list() and gets an array', async () => {
    const ports = await listSystemPorts();
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) expect(typeof p.path).toBe('string');
    // Whatever is attached, the filter only ever returns listed ports.
    expect(filterBoards(ports).every((b) => ports.some((p) => p.path === b.path))).toBe(true);
  });
});
