import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mineShare, jobFromNotify, submitParams } from '../simulator/pool/test-support/cpu-miner.js';
import { codeOf, findShare, submit } from '../simulator/pool/test-support/pool-harness.js';
import { poolFixture } from '../simulator/pool/test-support/pool-fixture.js';
import type { ConnectedMiner } from '../simulator/pool/test-support/pool-harness.js';
import { KAROO_MAIN, REPO_ROOT, runKarooSync } from '../test-support/built-command.js';
import { PATIENCE } from '../test-support/patience.js';
import { tempDir } from '../test-support/temp-dir.js';

const fx = poolFixture();
let child: ChildProcess | undefined;
const miners: ConnectedMiner[] = [];

afterEach(async () => {
  miners.length = 0;
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
  }
  child = undefined;
});

function tempFile(name: string, content: unknown): string {
  const file = join(tempDir('proxy-cli'), name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

describe('karoo proxy (built CLI)', () => {
  it('reloads on SIGHUP without dropping miners, reports restart-only keys, survives a bad file, stops on SIGTERM', async () => {
    const pool = await fx.pool({ difficulty: 1e-3 });
    const config = {
      proxy: { listen: '127.0.0.1:0' },
      upstream: {
        host: '127.0.0.1',
        port: pool.port,
        user: 'karoo.cli',
        backoff_min_ms: 100,
        backoff_max_ms: 400,
        // The pool keeps 1e-3, above what the reload sets the miners to.
        suggest_difficulty: 'off',
      },
      http: { listen: '127.0.0.1:0' },
      ratelimit: { enabled: false },
      vardiff: { min_diff: 1e-9, start_diff: 1e-6, adjust_every_ms: 3_600_000 },
      log: { level: 'warn' },
    };
    const file = tempFile('config.json', config);
    const proc = spawn(process.execPath, [KAROO_MAIN, 'proxy', '--config', file], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await vi.waitFor(
      () => expect(/listening on/.test(stdout) || proc.exitCode !== null, 'the listening line').toBe(true),
      PATIENCE,
    );
    const m = /listening on stratum\+tcp:\/\/127\.0\.0\.1:(\d+) \(http http:\/\/127\.0\.0\.1:(\d+)\)/.exec(
      stdout,
    );
    expect(m, `${stdout}${stderr}`).not.toBeNull();
    const port = Number(m?.[1]);
    const httpPort = Number(m?.[2]);

    for (let i = 0; i < 3; i += 1) miners.push(await fx.miner({ port }, { worker: `cli.rig${i}` }));
    for (const miner of miners) expect(codeOf(await submit(miner, findShare(miner)))).toBeNull();

    writeFileSync(
      file,
      JSON.stringify({
        ...config,
        proxy: { listen: '127.0.0.1:1' },
        vardiff: { ...config.vardiff, min_diff: 3e-6, start_diff: 3e-6 },
      }),
    );
    proc.kill('SIGHUP');
    await vi.waitFor(() => expect(stdout.includes('config reload'), 'the reload line').toBe(true), PATIENCE);
    expect(stdout).toContain('karoo proxy: config reloaded (3 changed; needs a restart: proxy.listen)\n');
    // The log is written asynchronously (pino): wait for it rather than expect it already there.
    await vi.waitFor(
      () =>
        expect(stderr.includes('config change needs a restart'), 'the restart warning in the log').toBe(true),
      PATIENCE,
    );
    expect(stderr).toMatch(/"key":"proxy\.listen".*"msg":"config change needs a restart"/);

    pool.newJob();
    for (const miner of miners) {
      const [difficulty] = (await miner.client.notification('mining.set_difficulty')).params;
      expect(difficulty).toBe(3e-6);
      const job = jobFromNotify((await miner.client.notification('mining.notify')).params);
      const share = mineShare(job, {
        extranonce1: miner.extranonce1,
        extranonce2: '0000abcd',
        difficulty: 3e-6,
      });
      const answer = await miner.client.request(
        'mining.submit',
        submitParams(miner.worker, job.jobId, share),
      );
      expect(codeOf(answer)).toBeNull();
    }

    writeFileSync(file, '{ "upstream": ');
    proc.kill('SIGHUP');
    await vi.waitFor(
      () => expect(stdout.includes('config reload refused'), 'the refusal line').toBe(true),
      PATIENCE,
    );
    expect(stdout).toMatch(/karoo proxy: config reload refused: config: .*config\.json: not valid JSON/);
    const status = (await (await fetch(`http://127.0.0.1:${httpPort}/status`)).json()) as {
      totals: { miners: number };
    };
    expect(status.totals.miners).toBe(3);
    expect(miners.every((x) => !x.client.isClosed)).toBe(true);

    proc.kill('SIGTERM');
    const code = await new Promise<number | null>((r) =>
      proc.exitCode !== null ? r(proc.exitCode) : proc.once('exit', r),
    );
    expect(code).toBe(0);
    await Promise.all(miners.map((x) => x.client.waitClosed()));
  });

  it('refuses to start (exit 2, one line) with the HTTP API beyond loopback and no token when http.require_token, or missing TLS files', () => {
    const exposed = tempFile('exposed.json', {
      upstream: { host: '127.0.0.1', port: 3333 },
      proxy: { listen: '127.0.0.1:0' },
      http: { listen: ':0', require_token: true },
    });
    let run = runKarooSync(['proxy', '--config', exposed]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `karoo: config: ${exposed}: http.token: expected a bearer token because http.listen (0.0.0.0:0) is not a loopback address and http.require_token is true; set http.token or listen on 127.0.0.1\n`,
    );

    const noCert = tempFile('tls.json', {
      upstream: { host: '127.0.0.1', port: 3333 },
      proxy: {
        listen: '127.0.0.1:0',
        tls: { enabled: true, cert_file: '/nonexistent/cert.pem', key_file: '/nonexistent/key.pem' },
      },
      http: { listen: '' },
      log: { level: 'silent' },
    });
    run = runKarooSync(['proxy', '--config', noCert]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('karoo: tls: cannot read the certificate file /nonexistent/cert.pem (ENOENT)\n');
  });

  it('a taken port, an unreadable config file, a --record folder that cannot be made: one line naming it, exit 2', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const config = tempFile('taken.json', {
        upstream: { host: '127.0.0.1', port: 3333 },
        proxy: { listen: `127.0.0.1:${port}` },
        http: { listen: '' },
        log: { level: 'silent' },
      });
      const run = runKarooSync(['proxy', '--config', config]);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(
        `karoo: proxy.listen: cannot listen on 127.0.0.1:${port}: address already in use (EADDRINUSE)\n`,
      );
      const http = tempFile('taken-http.json', {
        upstream: { host: '127.0.0.1', port: 3333 },
        proxy: { listen: '127.0.0.1:0' },
        http: { listen: `127.0.0.1:${port}` },
        log: { level: 'silent' },
      });
      const httpRun = runKarooSync(['proxy', '--config', http]);
      expect(httpRun.status).toBe(2);
      expect(httpRun.stderr).toBe(
        `karoo: http.listen: cannot listen on 127.0.0.1:${port}: address already in use (EADDRINUSE)\n`,
      );
    } finally {
      await new Promise((r) => taken.close(r));
    }

    const dir = tempDir('proxy-cli-files');
    for (const [path, words] of [
      [join(dir, 'missing.json'), 'no such file or directory (ENOENT)'],
      [dir, 'is a directory (EISDIR)'],
    ]) {
      const run = runKarooSync(['proxy', '--config', path as string]);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(`karoo: config: ${path}: cannot read the file: ${words}\n`);
    }

    const config = tempFile('record.json', {
      upstream: { host: '127.0.0.1', port: 3333 },
      proxy: { listen: '127.0.0.1:0' },
      http: { listen: '' },
      log: { level: 'silent' },
    });
    const notADir = join(config, 'sessions');
    const run = runKarooSync(['proxy', '--config', config, '--record', notADir]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `karoo: --record: cannot create ${notADir}: a part of the path is not a directory (ENOTDIR)\n`,
    );
  });
});
