import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKaroo } from '../test-support/built-command.js';
import { tempDir } from '../test-support/temp-dir.js';

const FREE_PORTS = ['--pool-port', '0', '--proxy-port', '0', '--http-port', '0'];

describe('karoo start (built CLI): what it cannot have is one line naming the flag, exit 2', () => {
  it('a --log-file that cannot be written', async () => {
    const file = join(tempDir('start-cli'), 'a-file');
    writeFileSync(file, '');
    const log = join(file, 'bench.log');
    const run = runKaroo(['start', '--plain', '--duration', '1', '--log-file', log, ...FREE_PORTS]);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(
      `karoo: --log-file: cannot write ${log}: a part of the path is not a directory (ENOTDIR)\n`,
    );
    expect(run.stdout()).toBe('');
  });

  it('a --listen address this machine does not have (TEST-NET-1)', async () => {
    const run = runKaroo(['start', '--plain', '--duration', '1', '--listen', '192.0.2.1', ...FREE_PORTS]);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(
      'karoo: --listen: cannot listen on 192.0.2.1:0: no such address on this machine (EADDRNOTAVAIL)\n',
    );
  });
});
