import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The serial captures in fixtures/serial/ (see its README). */
export const SERIAL_FIXTURES = [
  'nerdminer-boot-mining',
  'nerdminer-reject',
  'nerdminer-stall',
  'bitaxe-esp-idf',
] as const;

export type SerialFixture = (typeof SERIAL_FIXTURES)[number];

/** fixtures/serial, found from this file whether it runs from the sources or from dist/. */
export function serialFixturesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const candidate = join(dir, 'fixtures', 'serial');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('fixtures/serial not found above hil/serial');
}

/** The raw bytes of a capture. */
export function readSerialFixture(name: SerialFixture): Buffer {
  return readFileSync(join(serialFixturesDir(), `${name}.serial`));
}
