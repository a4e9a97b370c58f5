import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { HostBuildError } from '../errors.js';
import type { CompileUnit } from './build-plan.js';
import { firmwareUnits, hostCoreText, hostCoreUnit, hostFlags, linkArgs } from './build-plan.js';
import { findArduinoJson, inspectCheckout } from './checkout.js';
import type { NerdMinerCheckout } from './checkout.js';
import type { BuildDiagnosis, PathLabels } from './compiler-diagnostics.js';
import { describeDiagnosis, diagnoseCompile, diagnoseLink } from './compiler-diagnostics.js';
import { hostFirmwareAsset } from './host-layer-dir.js';
import { runTool } from './run-tool.js';
import { hashSources } from './source-hash.js';
import type { Toolchain } from './toolchain.js';
import { defaultCompiler, detectToolchain } from './toolchain.js';

/** Bump when the build itself changes in a way the hashed inputs do not show. */
const BUILD_FORMAT = 'karoo-host-firmware/1';

export interface BuildHostFirmwareOptions {
  /** A NerdMiner_v2 checkout (or one already inspected). */
  checkout: string | NerdMinerCheckout;
  /** The folder holding ArduinoJson.h (default: the checkout's .pio/libdeps, or lib/ArduinoJson). */
  arduinoJson?: string;
  /** Where binaries are kept by hash (default $XDG_CACHE_HOME/karoo/host-firmware, or ~/.cache/...). */
  cacheDir?: string;
  /** Default $CXX, else g++. */
  compiler?: string;
  /** Compiler runs at once (default: the CPUs available). */
  jobs?: number;
  /** Where the defaults come from (XDG_CACHE_HOME, HOME, CXX); the compiler runs in process.env. */
  env?: NodeJS.ProcessEnv;
  /** Called with a line before the compiler runs (not for a cached binary). */
  onCompile?: (message: string) => void;
}

export interface HostFirmwareBuild {
  readonly binary: string;
  readonly bits: 32 | 64;
  /** True when the binary came from the cache and nothing was compiled. */
  readonly cached: boolean;
  /** Hash of everything that went into the binary (sources, flags, compiler). */
  readonly hash: string;
  readonly toolchain: Toolchain;
  readonly checkout: NerdMinerCheckout;
  readonly arduinoJson: string;
  readonly durationMs: number;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== ''
      ? env.XDG_CACHE_HOME
      : join(homedir(), '.cache');
  return join(base, 'karoo', 'host-firmware');
}

/**
 * Builds a NerdMiner checkout's Stratum and mining sources against Karoo's host layer with the
 * system C++ compiler (32-bit where it can), and keeps the binary under a hash of every input, so
 * an unchanged checkout is built once. A compile or link error is a HostBuildError naming the
 * firmware file and the missing host symbol.
 */
export async function buildHostFirmware(options: BuildHostFirmwareOptions): Promise<HostFirmwareBuild> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const checkout =
    typeof options.checkout === 'string' ? inspectCheckout(options.checkout) : options.checkout;
  const arduinoJson = findArduinoJson(checkout.dir, options.arduinoJson);
  const toolchain = await detectToolchain(options.compiler ?? defaultCompiler(env));
  const hostLayer = hostFirmwareAsset('host-layer');
  const cacheRoot = options.cacheDir ?? defaultCacheDir(env);
  const jobs = Math.max(1, options.jobs ?? availableParallelism());

  const coreHash = hostCoreHash(toolchain, hostLayer);
  const hash = hashSources([
    { label: 'core', text: coreHash },
    { label: 'units', text: checkout.sources.join('\n') },
    { label: 'firmware', dir: join(checkout.dir, 'src') },
    { label: 'arduinojson', dir: arduinoJson },
  ]);
  const finalDir = join(cacheRoot, hash.slice(0, 32));
  const binary = join(finalDir, 'firmware');
  const result = (cached: boolean): HostFirmwareBuild => ({
    binary,
    bits: toolchain.bits,
    cached,
    hash,
    toolchain,
    checkout,
    arduinoJson,
    durationMs: Date.now() - started,
  });
  if (existsSync(binary)) return result(true);

  mkdirSync(cacheRoot, { recursive: true });
  const buildDir = join(
    cacheRoot,
    `.build-${hash.slice(0, 12)}-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  mkdirSync(buildDir);
  const labels: PathLabels = [
    [checkout.dir, ''],
    [hostLayer, 'host-layer'],
    [arduinoJson, 'ArduinoJson'],
    [buildDir, ''],
  ];
  try {
    const coreObject = hostCoreObject(cacheRoot, coreHash, toolchain);
    const units = firmwareUnits({ checkout, arduinoJson, hostLayer, toolchain, buildDir });
    const pending: CompileUnit[] = [...units];
    if (!existsSync(coreObject)) pending.unshift(coreUnit(toolchain, hostLayer, buildDir));
    options.onCompile?.(
      `compiling ${pending.length} unit(s) of ${checkout.dir} with ${toolchain.compiler}, ${toolchain.bits}-bit${toolchain.bits === 32 ? ' (-m32)' : ' (no -m32: install g++-multilib for a 32-bit build like the ESP32)'}`,
    );
    const log: string[] = [];
    const failed = await compileAll(toolchain.compiler, pending, jobs, log);
    if (failed !== undefined) {
      throw buildError(
        `host build of ${checkout.dir} failed`,
        diagnoseCompile(failed.unit.name, failed.output, labels),
        keepLog(cacheRoot, hash, log),
      );
    }
    const core = pending.find((u) => u.name === 'host-layer');
    if (core !== undefined) publish(core.object, coreObject);

    const objects = [...units.map((u) => u.object), coreObject];
    const link = await runTool(toolchain.compiler, linkArgs(toolchain, objects, join(buildDir, 'firmware')));
    log.push(`$ link\n${link.output}`);
    if (!link.ok) {
      const owners = new Map(units.map((u) => [u.object, u.name] as const));
      owners.set(coreObject, 'host-layer');
      throw buildError(
        `host build of ${checkout.dir} failed`,
        diagnoseLink(link.output, owners, labels),
        keepLog(cacheRoot, hash, log),
      );
    }
    writeFileSync(join(buildDir, 'build.log'), log.join('\n'));
    writeFileSync(
      join(buildDir, 'build.json'),
      `${JSON.stringify({ checkout: checkout.dir, version: checkout.version, arduinoJson, toolchain, hash }, null, 2)}\n`,
    );
    publish(buildDir, finalDir, ['.o', '.cpp']);
    return result(false);
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
}

function hostCoreHash(toolchain: Toolchain, hostLayer: string): string {
  return hashSources([
    { label: 'format', text: BUILD_FORMAT },
    { label: 'toolchain', text: `${toolchain.compiler}\n${toolchain.version}\n${toolchain.bits}` },
    { label: 'flags', text: hostFlags(toolchain, hostLayer).join(' ') },
    { label: 'host-layer', dir: hostLayer },
  ]);
}

function hostCoreObject(cacheRoot: string, coreHash: string, toolchain: Toolchain): string {
  return join(cacheRoot, 'host-layer', `${coreHash.slice(0, 32)}-${toolchain.bits}.o`);
}

/** The unit that compiles the host core, its generated source written into `buildDir`. */
function coreUnit(toolchain: Toolchain, hostLayer: string, buildDir: string): CompileUnit {
  const generated = join(buildDir, 'host-layer-core.cpp');
  const sources = readdirSync(join(hostLayer, 'src'))
    .filter((f) => f.endsWith('.cpp'))
    .sort()
    .map((f) => join(hostLayer, 'src', f));
  writeFileSync(generated, hostCoreText(sources));
  return hostCoreUnit(toolchain, hostLayer, generated, join(buildDir, 'host-layer-core.o'));
}

export interface HostProgramBuild {
  readonly toolchain: Toolchain;
  /** What the compiler printed for the program's units and the host core, when it compiled it (warnings). */
  readonly compilerOutput: string;
}

export interface BuildHostProgramOptions {
  /** C++ sources with their own main(), linked against the host layer's core (no firmware). */
  sources: readonly string[];
  /** The program to write. */
  output: string;
  cacheDir: string;
  compiler?: string;
}

/**
 * Builds a program of its own against the host layer (its tests of the layer's behaviour), with
 * the same flags and cached core object as a firmware build. Says which word size it was built
 * for, and what the compiler printed.
 */
export async function buildHostProgram(options: BuildHostProgramOptions): Promise<HostProgramBuild> {
  const toolchain = await detectToolchain(options.compiler ?? defaultCompiler());
  const hostLayer = hostFirmwareAsset('host-layer');
  const coreObject = hostCoreObject(options.cacheDir, hostCoreHash(toolchain, hostLayer), toolchain);
  mkdirSync(options.cacheDir, { recursive: true });
  const buildDir = join(options.cacheDir, `.program-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(buildDir);
  const labels: PathLabels = [
    [hostLayer, 'host-layer'],
    [buildDir, ''],
  ];
  try {
    const units: CompileUnit[] = options.sources.map((source, i) => {
      const object = join(buildDir, `program-${i}.o`);
      return {
        origin: 'host',
        name: source,
        source,
        object,
        args: [...hostFlags(toolchain, hostLayer), '-c', source, '-o', object],
      };
    });
    if (!existsSync(coreObject)) units.unshift(coreUnit(toolchain, hostLayer, buildDir));
    const log: string[] = [];
    const failed = await compileAll(toolchain.compiler, units, availableParallelism(), log);
    if (failed !== undefined) {
      throw buildError('host program build failed', diagnoseCompile(failed.unit.name, failed.output, labels));
    }
    const core = units.find((u) => u.name === 'host-layer');
    if (core !== undefined) publish(core.object, coreObject);
    const objects = [...units.filter((u) => u.name !== 'host-layer').map((u) => u.object), coreObject];
    const link = await runTool(toolchain.compiler, linkArgs(toolchain, objects, options.output));
    if (!link.ok) {
      throw buildError('host program link failed', diagnoseLink(link.output, new Map(), labels));
    }
    const compilerOutput = log.map((entry) => entry.replace(/^\$ .*\n/, '')).join('');
    return { toolchain, compilerOutput };
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
}

interface Failed {
  readonly unit: CompileUnit;
  readonly output: string;
}

/** Runs the units `jobs` at a time; the first failure stops the others and is returned. */
async function compileAll(
  compiler: string,
  units: readonly CompileUnit[],
  jobs: number,
  log: string[],
): Promise<Failed | undefined> {
  const stop = new AbortController();
  let failed: Failed | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!stop.signal.aborted && next < units.length) {
      const unit = units[next++]!;
      const run = await runTool(compiler, unit.args, { signal: stop.signal });
      log.push(`$ ${unit.name}\n${run.output}`);
      if (!run.ok && !stop.signal.aborted) {
        failed = { unit, output: run.output };
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, units.length) }, worker));
  return failed;
}

/**
 * Moves a finished file or folder into the cache under its final name. Another build of the same
 * hash may have got there first; then its copy is kept (they are the same build).
 */
function publish(from: string, to: string, dropExtensions: readonly string[] = []): void {
  if (dropExtensions.length > 0) {
    for (const f of readdirSync(from)) {
      if (dropExtensions.some((e) => f.endsWith(e))) rmSync(join(from, f), { force: true });
    }
  }
  if (existsSync(to)) return;
  mkdirSync(join(to, '..'), { recursive: true });
  try {
    renameSync(from, to);
  } catch (err) {
    if (!existsSync(to)) throw err;
  }
}

/** The whole compiler output of a failed build, kept next to the cache for the user to read. */
function keepLog(cacheRoot: string, hash: string, log: readonly string[]): string {
  const file = join(cacheRoot, `failed-${hash.slice(0, 12)}.log`);
  writeFileSync(file, log.join('\n'));
  return file;
}

/** "`what`: the diagnosis", with the file, symbol and excerpt it names. */
function buildError(what: string, d: BuildDiagnosis, logFile?: string): HostBuildError {
  return new HostBuildError(`${what}: ${describeDiagnosis(d)}`, d.file, d.symbol, d.excerpt, logFile);
}
