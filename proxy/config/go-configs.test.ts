import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.js';

const goConfig = (name: string): string =>
  new URL(`../../fixtures/go-karoo/${name}`, import.meta.url).pathname;

describe("the Go karoo's own config files load unchanged", () => {
  it('config.example.json: socks_proxy disabled, pprof on, the API on :8080 without a token (warnings)', () => {
    const c = loadConfig(goConfig('config.example.json'));
    expect(c.proxy.listen).toEqual({ host: '0.0.0.0', port: 3333 });
    expect(c.proxy.writeBuf).toBe(4096);
    expect(c.upstream).toMatchObject({ host: 'pool.example.org', user: 'wallet.worker', socksProxy: null });
    expect(c.backups).toHaveLength(1);
    expect(c.backups[0]).toMatchObject({ host: 'backup-pool.example.org', socksProxy: null });
    expect(c.vardiff).toMatchObject({ targetSeconds: 15, minDiff: 1000, maxDiff: 65536 });
    expect(c.http).toEqual({
      listen: { host: '0.0.0.0', port: 8080 },
      token: null,
      requireToken: false,
      publicPoolApi: null,
    });
    expect(c.warnings).toEqual([
      expect.stringMatching(/^http\.pprof: /),
      expect.stringMatching(
        /^http\.token: empty while http\.listen \(0\.0\.0\.0:8080\) is not a loopback address/,
      ),
    ]);
  });

  it('config.example.old.json: write_buf 2048 (below the old minimum 4096), vardiff off', () => {
    const path = goConfig('config.example.old.json');
    expect(readFileSync(path, 'utf8')).toContain('"write_buf":2048');
    const c = loadConfig(path);
    expect(c.proxy).toMatchObject({ listen: { port: 3334 }, maxClients: 512, readBuf: 2048, writeBuf: 2048 });
    expect(c.vardiff.enabled).toBe(false);
    expect(c.http.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.warnings).toEqual([expect.stringMatching(/^http\.pprof: /)]);
  });

  it('config.minimal.json: everything else at its default', () => {
    const c = loadConfig(goConfig('config.minimal.json'));
    expect(c.upstream).toMatchObject({ host: 'pool.example.org', port: 3333, pass: 'x', socksProxy: null });
    expect(c.warnings).toEqual([expect.stringMatching(/^http\.token: empty while http\.listen/)]);
  });
});
