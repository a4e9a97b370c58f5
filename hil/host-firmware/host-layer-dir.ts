import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** hil/host-firmware/<name>, found from this file whether it runs from the sources or from dist/. */
export function hostFirmwareAsset(name: 'host-layer' | 'test-sketch'): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    for (const candidate of [join(dir, name), join(dir, 'hil', 'host-firmware', name)]) {
      if (existsSync(join(candidate, name === 'host-layer' ? 'include/Arduino.h' : 'src/mining.cpp'))) {
        return candidate;
      }
    }
    dir = dirname(dir);
  }
  throw new Error(`hil/host-firmware/${name} not found above ${fileURLToPath(import.meta.url)}`);
}
