import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostFirmwareError } from '../errors.js';
import { findArduinoJson, inspectCheckout } from './checkout.js';
import { hostFirmwareAsset } from './host-layer-dir.js';

const SKETCH = hostFirmwareAsset('test-sketch');

describe('a NerdMiner checkout', () => {
  it('is a folder with the sources a host build compiles; its version comes from src/version.h', () => {
    expect(inspectCheckout(SKETCH)).toEqual({
      dir: SKETCH,
      version: 'KarooTestSketch/1',
      sources: ['src/stratum.cpp', 'src/mining.cpp', 'src/utils.cpp', 'src/ShaTests/nerdSHA256plus.cpp'],
    });
  });

  it('says what is missing from a folder that is not one', () => {
    const dir = join(SKETCH, 'src');
    expect(() => inspectCheckout(dir)).toThrow(HostFirmwareError);
    expect(() => inspectCheckout(dir)).toThrow(
      `--host-firmware: ${dir} is not a NerdMiner_v2 checkout (no src/stratum.cpp, src/mining.cpp, src/utils.cpp, src/ShaTests/nerdSHA256plus.cpp, src/mining.h, src/drivers/storage/storage.h)`,
    );
    expect(() => inspectCheckout(join(SKETCH, 'README.md'))).toThrow(/is not a directory/);
  });

  it("finds ArduinoJson in the checkout's lib/, or where --arduinojson says (with or without src/)", () => {
    const lib = join(SKETCH, 'lib', 'ArduinoJson');
    expect(findArduinoJson(SKETCH)).toBe(join(lib, 'src'));
    expect(findArduinoJson(SKETCH, lib)).toBe(join(lib, 'src'));
    expect(findArduinoJson(SKETCH, join(lib, 'src'))).toBe(join(lib, 'src'));
    expect(() => findArduinoJson(SKETCH, SKETCH)).toThrow(/^--arduinojson: no ArduinoJson.h in /);
    expect(() => findArduinoJson(join(SKETCH, 'src'))).toThrow(
      /run `pio pkg install -d .*`.*or give --arduinojson DIR/,
    );
  });
});
