import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOf, connectMiner, findShare, submit } from '../simulator/pool/test-support/pool-harness.js';
import { runKaroo } from '../test-support/built-command.js';
import { tempDir } from '../test-support/temp-dir.js';

type Json = Record<string, Record<string, unknown>>;

/**
 * A Go karoo config file with only what a test machine needs changed: the pool is the local
 * `karoo pool`, and the listen ports are 0 (their hosts, like ":3333", stay as they are).
 */
function patched(name: string, poolPort: number): string {
  const doc = JSON.parse(
    readFileSync(new URL(`../fixtures/go-karoo/${name}`, import.meta.url), 'utf8'),
  ) as Json;
  doc.upstream = { ...doc.upstream, host: '127.0.0.1', port: poolPort };
  doc.proxy = { ...doc.proxy, listen: String(doc.proxy?.listen).replace(/\d+$/, '0') };
  doc.http = { ...doc.http, listen: String(doc.http?.listen).replace(/\d+$/, '0') };
  const file = join(tempDir('go-config'), name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe("karoo proxy with the Go karoo's own config files", () => {
  it.each([
    ['config.example.json', { exposed: true, pprof: true }],
    ['config.example.old.json', { exposed: false, pprof: true }],
    ['config.minimal.json', { exposed: true, pprof: false }],
  ])(
    '%s: starts (warnings for an API open beyond loopback, for pprof), mines, exits 0',
    async (name, expected) => {
      const pool = runKaroo(['pool', '--listen', '127.0.0.1:0', '--difficulty', '0.000001']);
      const poolPort = Number(
        (await pool.waitForStdout(/pool listening on stratum\+tcp:\/\/127\.0\.0\.1:(\d+)/))[1],
      );
      const proxy = runKaroo(['proxy', '--config', patched(name, poolPort)]);
      const port = Number(
        (await proxy.waitForStdout(/karoo proxy listening on stratum\+tcp:\/\/127\.0\.0\.1:(\d+)/))[1],
      );

      const miner = await connectMiner(port, { worker: 'go.rig1' });
      try {
        expect(codeOf(await submit(miner, findShare(miner)))).toBeNull();
      } finally {
        await miner.client.close();
      }
      const warning =
        /^karoo proxy: warning: http\.token: empty while http\.listen \(0\.0\.0\.0:0\) is not a loopback address/m;
      expect(warning.test(proxy.stderr())).toBe(expected.exposed);
      expect(/^karoo proxy: warning: http\.pprof: /m.test(proxy.stderr())).toBe(expected.pprof);

      proxy.child.kill('SIGTERM');
      expect(await proxy.exit).toBe(0);
      pool.child.kill('SIGTERM');
      expect(await pool.exit).toBe(0);
    },
  );
});
