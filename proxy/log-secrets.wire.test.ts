import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { codeOf, findShare, submit } from '../simulator/pool/test-support/pool-harness.js';
import { createLogger } from '../runtime/logger.js';
import { PATIENCE } from '../test-support/patience.js';
import { tempDir } from '../test-support/temp-dir.js';
import { parseConfig } from './config/index.js';
import { proxyFixture } from './test-support/proxy-fixture.js';
import { reloadFromFile } from './reload/reload-from-file.js';
import { startMicrosocks } from './upstream/test-support/microsocks.js';

const fx = proxyFixture();

const SECRETS = {
  upstream: 'upstream-pass-s3cret',
  miner: 'miner-pass-s3cret',
  token: 'http-token-s3cret',
  socks: 'socks-pass-s3cret',
  numeric: 918273645,
};

/** Every line pino writes, as the proxy's own logger writes it (the same redaction as karoo proxy). */
function captureLogger() {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: createLogger('karoo-proxy', 'trace', sink), text: () => text };
}

describe('no secret in any log line, at trace', () => {
  it('upstream and SOCKS passwords, miners passwords and the HTTP token never reach the log', async () => {
    const socks = await startMicrosocks({ username: 'rack', password: SECRETS.socks });
    const pool = await fx.pool();
    const log = captureLogger();
    const socksProxy = {
      enabled: true,
      host: '127.0.0.1',
      port: socks.port,
      username: 'rack',
      password: SECRETS.socks,
    };
    const proxy = await fx.startProxy(
      pool.port,
      {
        upstream: {
          host: '127.0.0.1',
          port: pool.port,
          user: 'karoo.up',
          pass: SECRETS.upstream,
          socks_proxy: socksProxy,
        },
        http: { listen: '127.0.0.1:0', token: SECRETS.token },
        log: { level: 'trace' },
      },
      { logger: log.logger },
    );

    const miner = await fx.client();
    await miner.request('mining.subscribe', ['secret-test/1.0']);
    const authorized = await miner.request('mining.authorize', ['wallet.rig1', SECRETS.miner]);
    expect(authorized.result).toBe(true);
    // A password that is not a string is a password too.
    const other = await fx.miner({ worker: 'wallet.rig2' });
    expect(codeOf(await submit(other, findShare(other)))).toBeNull();
    const numeric = await fx.client();
    await numeric.request('mining.subscribe', []);
    await numeric.request('mining.authorize', ['wallet.rig3', SECRETS.numeric]);
    // A line cut short is not shown either.
    numeric.sendLine(`{"id":9,"method":"mining.authorize","params":["wallet.rig3","${SECRETS.miner}"]`);

    const status = await fetch(`${proxy.httpUrl}/status`, {
      headers: { authorization: `Bearer ${SECRETS.token}` },
    });
    expect(status.status).toBe(200);

    // A reload that changes every secret, and one that is refused.
    const next = parseConfig({
      upstream: {
        host: '127.0.0.1',
        port: pool.port,
        pass: `${SECRETS.upstream}-2`,
        socks_proxy: { ...socksProxy, password: `${SECRETS.socks}-2` },
      },
      proxy: { listen: '127.0.0.1:0' },
      http: { listen: '127.0.0.1:0', token: `${SECRETS.token}-2` },
      ratelimit: { enabled: false },
      log: { level: 'trace' },
    });
    expect(proxy.reload(next).ok).toBe(true);
    const bad = join(tempDir('secret-reload'), 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ upstream: { host: '127.0.0.1', port: pool.port, pass: SECRETS.numeric } }),
    );
    const refused = reloadFromFile(proxy, bad);
    expect(refused.ok).toBe(false);
    expect(refused.error).toBe(`config: ${bad}: upstream.pass: expected a string, got a number (not shown)`);

    await vi.waitFor(() => {
      expect(log.text()).toContain('"msg":"upstream tx"');
      expect(log.text()).toContain('"msg":"config change applied"');
      expect(log.text()).toMatch(/"line":"[^\n]*mining\.authorize[^\n]*<redacted>[^\n]*","msg":"rx"/);
      expect(log.text()).toContain('"msg":"config reload refused; the running configuration stays"');
    }, PATIENCE);
    const text = log.text();
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(String(secret));
    expect(text).toMatch(/"key":"upstream\.pass","from":"<redacted>","to":"<redacted>"/);
    expect(text).toMatch(/"key":"http\.token","from":"<redacted>","to":"<redacted>"/);
    expect(text).toMatch(/"key":"upstream\.socks_proxy\.password","from":"<redacted>","to":"<redacted>"/);
    expect(text).toContain('a line mentioning authorize or a password, not shown');
  });
});
