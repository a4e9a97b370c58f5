import { openSync } from 'node:fs';
import net from 'node:net';
import type { Command } from 'commander';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { parseConfig } from '../proxy/config/index.js';
import { runProxy } from '../proxy/run-proxy.js';
import type { RunningProxy } from '../proxy/run-proxy.js';
import { startThreadedRack } from '../simulator/miners/index.js';
import type { ThreadedRack } from '../simulator/miners/index.js';
import { startPool } from '../simulator/pool/index.js';
import type { PoolSimulator } from '../simulator/pool/index.js';
import {
  DEMO_POOL_DIFFICULTY,
  DEMO_PORTS,
  DEMO_RACK,
  DEMO_RACK_USER,
  demoProxyConfig,
  rackScaleNote,
} from './demo-config.js';
import { formatHostPort } from '../peers/host-port.js';
import { lanStratumUrls, listenHost } from './listen-host.js';
import { LOG_REDACTION } from '../runtime/logger.js';
import { FileError, ListenError, isSystemError } from '../runtime/system-error.js';
import { UsageError } from '../runtime/usage-error.js';

interface StartFlags {
  duration?: string;
  plain?: boolean;
  poolPort?: string;
  proxyPort?: string;
  httpPort?: string;
  listen?: string;
  interval?: string;
  logFile?: string;
}

interface Bench {
  pool: PoolSimulator;
  proxy: RunningProxy;
  rack: ThreadedRack;
  stop(): Promise<void>;
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the whole bench here: pool simulator, Karoo proxy, a simulated rack, and the dashboard')
    .option('--duration <seconds>', 'stop after this many seconds (exit 0); default: until Ctrl-C or q')
    .option(
      '--plain',
      'print a plain report every few seconds instead of the dashboard (default without a TTY)',
    )
    .option('--interval <seconds>', 'seconds between plain reports', '5')
    .option('--pool-port <port>', `pool simulator port (default ${DEMO_PORTS.pool}, or a free one if taken)`)
    .option('--proxy-port <port>', `proxy Stratum port (default ${DEMO_PORTS.proxy}, or a free one if taken)`)
    .option('--http-port <port>', `proxy HTTP port (default ${DEMO_PORTS.http}, or a free one if taken)`)
    .option(
      '--listen <host>',
      "address the proxy's Stratum port listens on: 0.0.0.0 for real miners on the LAN (default 127.0.0.1)",
    )
    .option('--log-file <file>', 'write the JSON logs here (with the dashboard they are otherwise off)')
    .action(async (flags: StartFlags) => {
      const durationS = flags.duration === undefined ? undefined : positive(flags.duration, '--duration');
      const intervalS = positive(flags.interval ?? '5', '--interval');
      const host = flags.listen === undefined ? '127.0.0.1' : listenHost(flags.listen, '--listen');
      const plain = flags.plain === true || !process.stdout.isTTY || !process.stdin.isTTY;
      const logger = benchLogger(plain, flags.logFile);
      const bench = await startBench(logger, flags.logFile, {
        host,
        pool: port(flags.poolPort, '--pool-port') ?? DEMO_PORTS.pool,
        proxy: port(flags.proxyPort, '--proxy-port') ?? DEMO_PORTS.proxy,
        http: port(flags.httpPort, '--http-port') ?? DEMO_PORTS.http,
      });
      const out = process.stdout;
      out.write(banner(bench, host));
      let stopping: Promise<void> | undefined;
      const stop = (): Promise<void> => (stopping ??= bench.stop());
      const done = new Promise<void>((resolve) => {
        const onSignal = (): void => resolve();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        if (durationS !== undefined) setTimeout(resolve, durationS * 1000).unref();
      });
      if (plain) {
        const timer = setInterval(() => out.write(plainReport(bench)), intervalS * 1000);
        await done;
        clearInterval(timer);
        out.write(plainReport(bench));
      } else {
        const base = new URL(bench.proxy.httpUrl as string);
        // blessed is loaded only when the dashboard runs, not for every karoo command.
        const { runTui } = await import('../dashboards/tui/run-tui.js');
        await Promise.race([
          runTui({ base, token: null, plain: false, once: false, intervalMs: 5000, refreshMs: 5000 }),
          done,
        ]);
      }
      await stop();
      process.exit(0);
    });
}

function banner(bench: Bench, host: string): string {
  const rack = Object.entries(DEMO_RACK)
    .map(([p, n]) => `${n} ${p}`)
    .join(', ');
  const lines = [
    `karoo bench: pool ${bench.pool.url}, proxy ${bench.proxy.url}, http ${bench.proxy.httpUrl ?? '-'}, ` +
      `rack ${rack}`,
    `  pool difficulty ${DEMO_POOL_DIFFICULTY}; each miner gets its own (vardiff) below it. The rack hashes ` +
      `in ${bench.rack.threads} worker thread(s), apart from the pool and proxy.`,
    `  ${rackScaleNote()}.`,
  ];
  if (host !== '127.0.0.1') {
    const port = bench.proxy.stratum.port;
    const urls = lanStratumUrls(host, port);
    lines.push(`  real miners: point them at ${urls.length > 0 ? urls.join(' or ') : `${host}:${port}`}`);
  }
  return `${lines.join('\n')}\n`;
}

async function startBench(
  logger: Logger,
  logFile: string | undefined,
  ports: { host: string; pool: number; proxy: number; http: number },
): Promise<Bench> {
  const pool = await startPool({
    host: '127.0.0.1',
    port: await portOrFree(ports.pool, '127.0.0.1', '--pool-port'),
    difficulty: DEMO_POOL_DIFFICULTY,
    maxDifficulty: DEMO_POOL_DIFFICULTY,
    logger,
  });
  const proxy = await runProxy(
    parseConfig(
      demoProxyConfig({
        poolPort: pool.port,
        listen: formatHostPort({
          host: ports.host,
          port: await portOrFree(ports.proxy, ports.host, '--proxy-port'),
        }),
        http: `127.0.0.1:${await portOrFree(ports.http, '127.0.0.1', '--http-port')}`,
      }),
    ),
    logger,
  );
  const rack = await startThreadedRack({
    url: `stratum+tcp://127.0.0.1:${proxy.stratum.port}`,
    counts: DEMO_RACK,
    user: DEMO_RACK_USER,
    logLevel: logFile === undefined ? 'silent' : 'info',
    logFile,
  });
  return {
    pool,
    proxy,
    rack,
    async stop() {
      await rack.stop();
      await proxy.stop();
      await pool.close();
    },
  };
}

/**
 * The preferred port when it is free on `host`, else any free one (a second bench, a real pool on
 * 3333). Anything else (an address not on this machine, a port it may not have) is one line
 * naming the flag: `--listen` for the address, `flag` for the port.
 */
async function portOrFree(preferred: number, host: string, flag: string): Promise<number> {
  try {
    return await takePort(preferred, host);
  } catch (err) {
    if (!isSystemError(err)) throw err;
    const culprit = err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' ? '--listen' : flag;
    throw new ListenError(culprit, formatHostPort({ host, port: preferred }), err);
  }
}

function takePort(preferred: number, host: string): Promise<number> {
  const tryListen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen({ host, port }, () => {
        const bound = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(bound));
      });
    });
  return tryListen(preferred).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    return tryListen(0);
  });
}

function plainReport(bench: Bench): string {
  const stats = bench.rack.stats();
  const pool = bench.pool.stats();
  const lines = [
    `--- ${new Date().toISOString()}  pool accepted ${pool.totals.accepted}, rejected ${pool.totals.rejectedTotal}; ` +
      `upstream ${bench.proxy.core.upstreamState}`,
  ];
  for (const s of stats) {
    lines.push(
      `${s.worker.padEnd(18)} ${s.profile.padEnd(10)} accepted ${String(s.accepted).padStart(5)}  rejected ${String(s.rejected).padStart(4)}  ${(s.hashrate / 1000).toFixed(1)} kH/s`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function benchLogger(plain: boolean, file: string | undefined): Logger {
  if (file) {
    let fd: number;
    try {
      fd = openSync(file, 'a');
    } catch (err) {
      throw new FileError('--log-file', file, 'write', err);
    }
    return pino({ level: 'info', redact: LOG_REDACTION }, pino.destination({ dest: fd, sync: false }));
  }
  // The dashboard owns the terminal: logs would tear it. Without one, warnings go to stderr.
  return pino(
    { level: plain ? 'warn' : 'silent', redact: LOG_REDACTION },
    pino.destination({ dest: 2, sync: false }),
  );
}

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag}: expected a number of seconds above 0, got ${JSON.stringify(text)}`);
  return n;
}

function port(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`${flag}: expected a port from 0 to 65535, got ${JSON.stringify(text)}`);
  return n;
}
