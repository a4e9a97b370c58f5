import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostFirmwareError } from '../errors.js';
import { runTool } from './run-tool.js';

/** The system C++ compiler and the word size the firmware is built for. */
export interface Toolchain {
  readonly compiler: string;
  /** First line of `compiler --version`. */
  readonly version: string;
  /**
   * 32 where the compiler can build and link `-m32` (Debian: g++-multilib), so `long` and pointers
   * are 32-bit as on the ESP32 (ILP32); else 64.
   */
  readonly bits: 32 | 64;
}

/** The compiler `karoo hil --host-firmware` uses: $CXX, else g++. */
export function defaultCompiler(env: NodeJS.ProcessEnv = process.env): string {
  return env.CXX !== undefined && env.CXX.trim() !== '' ? env.CXX.trim() : 'g++';
}

// A program that needs what a 32-bit build needs: the 32-bit C++ library and threads.
const PROBE =
  '#include <mutex>\n#include <thread>\nint main() { std::mutex m; std::thread t([&] { m.lock(); m.unlock(); }); t.join(); return sizeof(long) == 4 ? 0 : 1; }\n';

const detected = new Map<string, Promise<Toolchain>>();

/** Finds out (once per compiler and process) whether `compiler` runs and whether it can build 32-bit. */
export function detectToolchain(compiler: string): Promise<Toolchain> {
  let found = detected.get(compiler);
  if (found === undefined) {
    found = probe(compiler);
    detected.set(compiler, found);
    found.catch(() => detected.delete(compiler));
  }
  return found;
}

async function probe(compiler: string): Promise<Toolchain> {
  const version = await runTool(compiler, ['--version']);
  if (!version.ok) {
    const why = version.spawnError?.code === 'ENOENT' ? 'not found' : version.output.trim().split('\n')[0];
    throw new HostFirmwareError(
      `--host-firmware: the C++ compiler ${compiler} ${why ?? 'failed'} (install g++, or name one with CXX)`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'karoo-m32-'));
  try {
    writeFileSync(join(dir, 'probe.cpp'), PROBE);
    const m32 = await runTool(compiler, ['-m32', '-pthread', 'probe.cpp', '-o', 'probe'], { cwd: dir });
    // Built is not enough: a kernel without 32-bit support cannot run it.
    const runs = m32.ok && (await runTool(join(dir, 'probe'), [])).ok;
    return { compiler, version: version.output.split('\n')[0]!.trim(), bits: runs ? 32 : 64 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
