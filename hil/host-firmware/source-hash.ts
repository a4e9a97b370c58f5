import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** C and C++ sources and headers: what a change to can change the binary. */
const SOURCE_FILE = /\.(c|cc|cpp|cxx|h|hh|hpp|hxx|ino|inc|ipp|tpp)$/i;
/** Folders deeper than this are not followed (a symlink loop, a vendored tree gone wrong). */
const MAX_DEPTH = 12;

/** Every source file under `dir`, relative paths in a stable order. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string, depth: number): void => {
    if (depth > MAX_DEPTH || !existsSync(at)) return;
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path, depth + 1);
      else if (entry.isFile() && SOURCE_FILE.test(entry.name)) out.push(relative(dir, path));
    }
  };
  walk(dir, 0);
  return out.sort();
}

/**
 * SHA-256 over labelled parts: strings as they are, and folders as the path and content of each
 * source file in them. Equal hashes mean the same sources, flags and compiler.
 */
export function hashSources(parts: ReadonlyArray<{ label: string; text?: string; dir?: string }>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(`\0${part.label}\0`);
    if (part.text !== undefined) hash.update(part.text);
    if (part.dir !== undefined) {
      for (const file of sourceFiles(part.dir)) {
        const path = join(part.dir, file);
        hash.update(`\0${file}\0${statSync(path).size}\0`);
        hash.update(readFileSync(path));
      }
    }
  }
  return hash.digest('hex');
}
