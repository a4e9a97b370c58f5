import { describe, expect, it } from 'vitest';
import { UsageError } from '../runtime/usage-error.js';
import { hilOptionsFromFlags } from './hil-command.js';
import { hostFirmwareAsset } from './host-firmware/host-layer-dir.js';
import type { HilFlags } from './hil-command.js';

const flags = (over: Partial<HilFlags> = {}): HilFlags => ({
  port: [],
  worker: [],
  scenario: [],
  reset: true,
  ...over,
});

describe('hilOptionsFromFlags', () => {
  it('turns flags into options', () => {
    expect(
      hilOptionsFromFlags(
        flags({
          virtual: '2',
          worker: ['bc1qa.one'],
          scenario: ['shares-accepted,hashrate-band', 'soak'],
          difficulty: '3e-5',
          hashrate: '80000',
          hashrateBand: '2:150',
          bootTimeout: '30',
          soak: '60',
          junit: 'out.xml',
          json: 'out.json',
          direct: true,
          listen: '127.0.0.1:0',
        }),
      ),
    ).toEqual({
      reset: true,
      virtual: 2,
      workers: ['bc1qa.one'],
      scenarios: ['shares-accepted', 'hashrate-band', 'soak'],
      difficulty: 3e-5,
      virtualHashrate: 80000,
      hashrateBandKhs: [2, 150],
      bootTimeoutMs: 30_000,
      soakMs: 60_000,
      junit: 'out.xml',
      json: 'out.json',
      direct: true,
      listen: '127.0.0.1:0',
    });
  });

  it('takes the proxy token from KAROO_HTTP_TOKEN unless given', () => {
    const proxy = { proxy: 'http://10.0.0.2:8080', port: ['/dev/ttyACM0'] };
    expect(hilOptionsFromFlags(flags(proxy), { KAROO_HTTP_TOKEN: 'env-token' })).toMatchObject({
      proxyUrl: 'http://10.0.0.2:8080',
      proxyToken: 'env-token',
      ports: ['/dev/ttyACM0'],
    });
    expect(
      hilOptionsFromFlags(flags({ ...proxy, proxyToken: 'flag' }), { KAROO_HTTP_TOKEN: 'env' }),
    ).toMatchObject({
      proxyToken: 'flag',
    });
  });

  it('--host-firmware: a checkout, instances, ArduinoJson and the seed of its rand()', () => {
    const dir = hostFirmwareAsset('test-sketch');
    const env = { XDG_CACHE_HOME: '/somewhere' };
    expect(
      hilOptionsFromFlags(flags({ hostFirmware: dir, boards: '2', arduinojson: '/aj', seed: '7' }), env),
    ).toMatchObject({ hostFirmware: { dir, boards: 2, arduinoJson: '/aj', seed: 7, env } });
    expect(hilOptionsFromFlags(flags({ hostFirmware: dir }))).toMatchObject({
      hostFirmware: { dir, boards: 1 },
    });
  });

  const sketch = hostFirmwareAsset('test-sketch');
  it.each<[string, Partial<HilFlags>, RegExp]>([
    [
      'a folder that is not a NerdMiner checkout',
      { hostFirmware: '/' },
      /^--host-firmware: \/ is not a NerdMiner_v2 checkout \(no src\/stratum\.cpp, /,
    ],
    [
      '--host-firmware with --virtual',
      { hostFirmware: sketch, virtual: '1' },
      /cannot be mixed with --virtual/,
    ],
    [
      '--host-firmware with --no-reset',
      { hostFirmware: sketch, reset: false },
      /--no-reset is for real boards/,
    ],
    [
      '--boards 17',
      { hostFirmware: sketch, boards: '17' },
      /--boards: expected a number of boards from 1 to 16, got 17/,
    ],
    ['--boards without --host-firmware', { boards: '2' }, /^--boards goes with --host-firmware$/],
    ['--seed -1', { hostFirmware: sketch, seed: '-1' }, /--seed: expected a whole number/],
    ['--virtual 0', { virtual: '0' }, /--virtual: expected a number of boards from 1 to 16/],
    ['--virtual x', { virtual: 'x' }, /--virtual/],
    ['--virtual with --port', { virtual: '1', port: ['/dev/ttyUSB0'] }, /cannot be mixed/],
    ['--virtual with --no-reset', { virtual: '1', reset: false }, /--no-reset is for real boards/],
    ['an unknown scenario', { scenario: ['boots'] }, /--scenario: unknown scenario "boots"/],
    ['--proxy that is not a URL', { proxy: '10.0.0.2:8080' }, /--proxy: expected http:\/\/HOST:PORT/],
    ['--proxy with --direct', { proxy: 'http://h:1', direct: true }, /--proxy and --direct/],
    ['--proxy with --difficulty', { proxy: 'http://h:1', difficulty: '1' }, /not one given with --proxy/],
    ['--stratum without --proxy', { stratum: 'stratum+tcp://h:3334' }, /go with --proxy/],
    ['a bad --stratum', { proxy: 'http://h:1', stratum: 'tcp://h:3334' }, /--stratum: expected stratum\+tcp/],
    ['a bad --listen', { listen: '3334' }, /--listen: expected HOST:PORT/],
    ['--difficulty 0', { difficulty: '0' }, /--difficulty: expected a number above 0/],
    ['--hashrate on real boards', { hashrate: '1000' }, /--hashrate is for virtual boards/],
    ['a reversed --hashrate-band', { hashrateBand: '100:10' }, /--hashrate-band: expected MIN:MAX/],
    ['a worker with a space', { worker: ['a b'] }, /--worker/],
  ])('refuses %s', (_name, over, message) => {
    expect(() => hilOptionsFromFlags(flags(over))).toThrow(UsageError);
    expect(() => hilOptionsFromFlags(flags(over))).toThrow(message);
  });
});
