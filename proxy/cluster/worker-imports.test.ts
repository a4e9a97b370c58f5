import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** `import ... from '...'` and `export ... from '...'` that stay at run time (not `import type`). */
const STATIC_IMPORT = /^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'|^import\s+'([^']+)'/gm;

/** Every package a module loads at start-up, through its static imports, with one path to each. */
function packagesLoadedBy(entry: string): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const path = seen.get(file) as string[];
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(STATIC_IMPORT)) {
      const spec = (m[1] ?? m[2]) as string;
      if (!spec.startsWith('.')) {
        if (!packages.has(spec)) packages.set(spec, path);
        continue;
      }
      const next = relative(ROOT, join(ROOT, dirname(file), spec.replace(/\.js$/, '.ts')));
      if (seen.has(next)) continue;
      seen.set(next, [...path, next]);
      queue.push(next);
    }
  }
  return packages;
}

describe('a cluster worker process', () => {
  const loaded = packagesLoadedBy('proxy/cluster/worker-main.ts');

  it('loads the proxy (and the libraries it runs on)', () => {
    // The walk itself works: what a worker must load is found.
    expect([...loaded.keys()]).toEqual(
      expect.arrayContaining(['pino', 'prom-client', 'node:net', 'node:tls']),
    );
  });

  it('never loads the config schema or the SOCKS client at start-up (~6 and ~2 MB a process)', () => {
    // The primary parses the config and hands it over; SOCKS loads when an endpoint uses it.
    for (const heavy of ['zod', 'socks']) expect(loaded.get(heavy), `${heavy} reached by`).toBeUndefined();
  });
});
