import { describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi.js';
import type { ConsoleEvent } from './console-events.js';
import { parseConsoleLine } from './parse-console-line.js';

/** The event without its line (and without an ESP-IDF header), for compact expectations. */
function fields(line: string): Record<string, unknown> {
  const {
    line: _line,
    esp: _esp,
    ...rest
  } = parseConsoleLine(line) as ConsoleEvent & Record<string, unknown>;
  return rest;
}

const HASH = 'c505c7b7aed9ee6a8dc2520a18b5b03f56490a04892aa2d726a3360f78120000';

describe('NerdMiner lines', () => {
  it.each<[string, Record<string, unknown>]>([
    ['NerdMiner v2 starting......', { kind: 'boot', stage: 'app', firmware: 'nerdminer' }],
    ['SPIFS: Loading config file', { kind: 'config-loaded', source: 'spiffs' }],
    ['WiFi connected', { kind: 'wifi-connected' }],
    ['CONNECTED - Current ip: 10.0.0.7', { kind: 'wifi-connected', ip: '10.0.0.7' }],
    ['IP address: 192.168.1.57', { kind: 'ip-address', ip: '192.168.1.57' }],
    ['[Error] - current status: 5', { kind: 'wifi-status', status: 5 }],
    ['PoolString: public-pool.io', { kind: 'pool-setting', key: 'pool', value: 'public-pool.io' }],
    ['portNumber: 21496', { kind: 'pool-setting', key: 'port', value: '21496' }],
    ['TimeZone fromUTC: -5', { kind: 'pool-setting', key: 'timezone', value: '-5' }],
    ['Initiating tasks...', { kind: 'tasks-initiating' }],
    ['[MONITOR] started', { kind: 'task-started', task: 'monitor' }],
    ['[WORKER] Started. Running (Stratum) on core 1', { kind: 'task-started', task: 'stratum', core: 1 }],
    [
      '[MINER] 0 Started minerWorkerHw Task!',
      { kind: 'task-started', task: 'miner', minerId: 0, engine: 'hw' },
    ],
    ['Client not connected, trying to connect...', { kind: 'pool-connecting' }],
    [
      'Resolved DNS and save ip (first time) got: 1.2.3.4',
      { kind: 'pool-resolved', ip: '1.2.3.4', first: true },
    ],
    ['Resolved DNS got: 1.2.3.4', { kind: 'pool-resolved', ip: '1.2.3.4', first: false }],
    ['Imposible to connect to : public-pool.io', { kind: 'pool-connect-failed', pool: 'public-pool.io' }],
    ['[WORKER] ==> Mining subscribe', { kind: 'subscribe-sent' }],
    ['[WORKER] ==> Autorize work', { kind: 'authorize-sent' }],
    ['[WORKER] >>>>>>>>> Work aborted', { kind: 'subscribe-aborted' }],
    ['  Sending  : KeepAlive suggest_difficulty', { kind: 'keepalive' }],
    ['    sub_details: 731ec5e0649606ff', { kind: 'subscribe-details', details: '731ec5e0649606ff' }],
    ['    extranonce1: e8a5b1c3', { kind: 'extranonce', extranonce1: 'e8a5b1c3' }],
    ['    extranonce2_size: 4', { kind: 'extranonce', extranonce2Size: 4 }],
    ['    Parsing Method [MINING NOTIFY]', { kind: 'parsing-method', method: 'mining.notify' }],
    ['    Parsing Method [SET DIFFICULTY]', { kind: 'parsing-method', method: 'mining.set_difficulty' }],
    [
      `    target: ${'0'.repeat(18)}02905C${'0'.repeat(40)}`,
      { kind: 'target', target: `${'0'.repeat(18)}02905c${'0'.repeat(40)}` },
    ],
    ['    difficulty: 0.000150000000', { kind: 'difficulty', difficulty: 0.00015 }],
    ['    difficulty: ovf', { kind: 'difficulty', difficulty: Number.POSITIVE_INFINITY }],
    ['   - Current diff share: 0.000213574311', { kind: 'share-diff', difficulty: 0.000213574311 }],
    ['   - Current pool diff : 0.000150000000', { kind: 'share-pool-diff', difficulty: 0.00015 }],
    [`   - TX SHARE: ${HASH}`, { kind: 'share-hash', hash: HASH }],
    [
      'ERROR: 23 | reason: Low difficulty share ',
      { kind: 'stratum-error', code: 23, reason: 'Low difficulty share' },
    ],
    ['ERROR: -1 | reason: (null) ', { kind: 'stratum-error', code: -1, reason: '(null)' }],
    ['Refuse submition 12', { kind: 'share-refused', id: 12 }],
    ['Refuse submission 13', { kind: 'share-refused', id: 13 }],
    ['CONGRATULATIONS! Valid block found', { kind: 'block-found' }],
    [
      '>>> Completed 3 share(s), 1874 Khashes, avg. hashrate 252.3 KH/s',
      { kind: 'hashrate', shares: 3, khashes: 1874, khps: 252.3 },
    ],
    [
      '>>> Completed 0 share(s), 0 Khashes, avg. hashrate 0.00 KH/s',
      { kind: 'hashrate', shares: 0, khashes: 0, khps: 0 },
    ],
    [
      '>>> Completed 1,024 share(s), 12,345,678 Khashes, avg. hashrate 1,045 KH/s',
      { kind: 'hashrate', shares: 1024, khashes: 12345678, khps: 1045 },
    ],
    [
      '>>> [i] Miner: newJob>true / inRun>false) - Client: connected>true / subscribed>false / wificonnected>true',
      {
        kind: 'miner-status',
        newJob: true,
        inRun: false,
        connected: true,
        subscribed: false,
        wifiConnected: true,
      },
    ],
    [
      '  Detected more than 2 min without data form stratum server. Closing socket and reopening...',
      { kind: 'pool-stall' },
    ],
    ['  Parsed JSON: unknown', { kind: 'ignored-message' }],
    ['Parsing error, need restart', { kind: 'parse-error', detail: 'notify' }],
  ])('%j', (line, expected) => {
    expect(fields(line)).toEqual(expected);
  });

  it('parses the Stratum JSON echoed by "Sending" and "Receiving"', () => {
    const tx = parseConsoleLine(
      '  Sending  : {"id": 4, "method": "mining.submit", "params": ["w","1f3a","00000001","65f1a2b3","da54f3c1"]}',
    );
    expect(tx).toMatchObject({
      kind: 'stratum-tx',
      payload: {
        id: 4,
        method: 'mining.submit',
        truncated: false,
        json: { params: ['w', '1f3a', '00000001', '65f1a2b3', 'da54f3c1'] },
      },
    });
    const rx = parseConsoleLine('  Receiving: {"id":4,"result":true,"error":null}');
    expect(rx).toMatchObject({ kind: 'stratum-rx', payload: { id: 4, json: { result: true, error: null } } });
  });

  it('keeps a truncated payload with what can be recovered', () => {
    const rx = parseConsoleLine(
      '  Receiving: {"id":null,"method":"mining.notify","params":["1f3a","e55e85d8085e0100',
    );
    expect(rx).toMatchObject({
      kind: 'stratum-rx',
      payload: { truncated: true, id: null, method: 'mining.notify', json: { params: ['1f3a'] } },
    });
  });

  it('rejects numbers that are not numbers', () => {
    expect(fields('    difficulty: banana')).toEqual({ kind: 'unknown' });
    expect(fields('>>> Completed x share(s), 1 Khashes, avg. hashrate 1 KH/s')).toEqual({ kind: 'unknown' });
  });
});

describe('ESP-IDF lines (Bitaxe)', () => {
  const I = (msg: string, tag = 'stratum_v1_task', ms = 14183) => `\x1b[0;32mI (${ms}) ${tag}: ${msg}\x1b[0m`;

  it('strips colours and parses the header', () => {
    const event = parseConsoleLine(
      '\x1b[0;33mW (16830) stratum_v1_task: message result rejected: Above target\x1b[0m',
    );
    expect(event).toEqual({
      kind: 'share-result',
      accepted: false,
      reason: 'Above target',
      line: 'W (16830) stratum_v1_task: message result rejected: Above target',
      esp: { level: 'W', time: '16830', ms: 16830, tag: 'stratum_v1_task' },
    });
  });

  it('accepts wall-clock timestamps and Wi-Fi driver tags without a space', () => {
    expect(
      parseConsoleLine('I (12:34:56.789) stratum_api: rx: {"id":5,"result":true,"error":null}'),
    ).toMatchObject({
      kind: 'stratum-rx',
      esp: { level: 'I', time: '12:34:56.789', tag: 'stratum_api' },
      payload: { id: 5 },
    });
    expect(parseConsoleLine('I (4163) wifi:state: init -> auth (0xb0)')).toMatchObject({
      kind: 'esp-log',
      message: 'state: init -> auth (0xb0)',
      esp: { tag: 'wifi' },
    });
    expect(parseConsoleLine('I (4163) wifi:state: init -> auth (0xb0)').esp?.ms).toBe(4163);
  });

  it.each<[string, Record<string, unknown>]>([
    [
      I('tx: {"id": 2, "method": "mining.subscribe", "params": ["bitaxe/BM1370/v2.5.0"]}', 'stratum_api'),
      { kind: 'stratum-tx' },
    ],
    [I('rx: {"id":3,"result":true,"error":null}', 'stratum_task'), { kind: 'stratum-rx' }],
    [I('message result accepted'), { kind: 'share-result', accepted: true }],
    [I('setup message accepted'), { kind: 'setup-result', accepted: true }],
    [
      I('setup message rejected: Unauthorized worker'),
      { kind: 'setup-result', accepted: false, reason: 'Unauthorized worker' },
    ],
    [
      I('Welcome to the bitaxe - hack the planet!', 'main'),
      { kind: 'boot', stage: 'app', firmware: 'bitaxe' },
    ],
    [I('ESP-IDF v5.4 2nd stage bootloader', 'boot', 27), { kind: 'boot', stage: 'bootloader' }],
    [I('Set pool difficulty: 1000.00'), { kind: 'difficulty', difficulty: 1000 }],
    [I('Set stratum difficulty: 10000', 'stratum_task'), { kind: 'difficulty', difficulty: 10000 }],
    [
      I('Set extranonce: 7f3c0a12, extranonce_2_len: 8'),
      { kind: 'extranonce', extranonce1: '7f3c0a12', extranonce2Size: 8 },
    ],
    [I('extranonce_str: 6b86a967', 'stratum_api'), { kind: 'extranonce', extranonce1: '6b86a967' }],
    [I('extranonce_2_len: 8', 'stratum_api'), { kind: 'extranonce', extranonce2Size: 8 }],
    [I('Set version mask: 1FFFE000'), { kind: 'version-mask', mask: '1fffe000' }],
    [I('Configure result accepted, version mask: 1fffe000'), { kind: 'version-mask', mask: '1fffe000' }],
    [
      I('Connecting to: stratum+tcp://eusolo.ckpool.org:3333 (88.99.11.212)'),
      { kind: 'pool-connecting', host: 'eusolo.ckpool.org', port: 3333, ip: '88.99.11.212' },
    ],
    [
      I('Transport unable to connect to pool.example:3333 (errno 119). Attempt: 2'),
      { kind: 'pool-connect-failed', pool: 'pool.example' },
    ],
    [
      I('Pool requested client reconnect...'),
      { kind: 'pool-disconnected', reason: 'Pool requested client reconnect' },
    ],
    [I('Connected to SSID: MBTC', 'bitaxe'), { kind: 'wifi-connected', ssid: 'MBTC' }],
    [
      I('sta ip: 192.168.178.249, mask: 255.255.255.0, gw: 192.168.178.1', 'esp_netif_handlers'),
      { kind: 'ip-address', ip: '192.168.178.249' },
    ],
    [
      I('ID: 5e1b7a90, ASIC nr: 1, ver: 00E42000 Nonce 3A1F09C2 diff 2341.7 of 1000.', 'asic_result'),
      {
        kind: 'asic-nonce',
        jobId: '5e1b7a90',
        asic: 1,
        version: '00e42000',
        nonce: '3a1f09c2',
        difficulty: 2341.7,
        poolDifficulty: 1000,
      },
    ],
    [
      I('FOUND BLOCK!!!!!!!!!!!!!!!!!!!!!! 112233445566.000000 > 110000000000.000000', 'SystemModule'),
      { kind: 'block-found', difficulty: 112233445566, networkDifficulty: 110000000000 },
    ],
    [I('Block height 880123'), { kind: 'esp-log', message: 'Block height 880123' }],
  ])('%j', (line, expected) => {
    expect(parseConsoleLine(line)).toMatchObject(expected);
    expect(parseConsoleLine(line).esp).toBeDefined();
  });
});

describe('other lines', () => {
  it.each<[string, Record<string, unknown>]>([
    ['ets Jul 29 2019 12:21:46', { kind: 'boot', stage: 'rom' }],
    ['ets Jun  8 2016 00:22:57', { kind: 'boot', stage: 'rom' }],
    [
      'rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
      { kind: 'boot', stage: 'rom', resetReason: 'POWERON_RESET' },
    ],
    [
      'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
      { kind: 'boot', stage: 'rom', resetReason: 'SW_CPU_RESET' },
    ],
    ['ESP-ROM:esp32s3-20210327', { kind: 'boot', stage: 'rom' }],
    ['*wm:AutoConnect ', { kind: 'wifi-manager', message: 'AutoConnect' }],
    [
      '*wm:[2] Connection result: WL_CONNECTED',
      { kind: 'wifi-manager', level: 2, message: 'Connection result: WL_CONNECTED' },
    ],
    ['*wm:[EVENT] WIFI_REASON:  8', { kind: 'wifi-manager', message: '[EVENT] WIFI_REASON:  8' }],
    ['tx: [55 AA 52 05 00 00 0A]', { kind: 'unknown' }],
    ['load:0x3fff0030,len:1184', { kind: 'unknown' }],
    ['', { kind: 'blank' }],
    ['  \r', { kind: 'blank' }],
  ])('%j', (line, expected) => {
    expect(fields(line)).toEqual(expected);
  });

  it('keeps unknown lines verbatim (minus colours and the line ending)', () => {
    expect(parseConsoleLine('\x1b[1mTemperature: 41\x1b[0m\r')).toEqual({
      kind: 'unknown',
      line: 'Temperature: 41',
    });
  });

  it('strips CSI sequences and stray escapes', () => {
    expect(stripAnsi('\x1b[0;32mI (1) a: b\x1b[0m')).toBe('I (1) a: b');
    expect(stripAnsi('\x1b[2K\x1b[1Gprogress\x1b')).toBe('progress');
    expect(stripAnsi('plain')).toBe('plain');
  });
});
