import { describe, expect, it } from 'vitest';
import { describeDiagnosis, diagnoseCompile, diagnoseLink } from './compiler-diagnostics.js';
import type { PathLabels } from './compiler-diagnostics.js';

// Real g++ 12 output (LC_ALL=C) for a NerdMiner-shaped checkout in /fw built against the host
// layer in /karoo/hil/host-firmware/host-layer, objects in /cache/.build-x.
const LABELS: PathLabels = [
  ['/fw', ''],
  ['/karoo/hil/host-firmware/host-layer', 'host-layer'],
  ['/cache/.build-x', ''],
];

const MISSING_HEADER = `/fw/src/mining.cpp:17:10: fatal error: HTTPClient.h: No such file or directory
   17 | #include <HTTPClient.h>
      |          ^~~~~~~~~~~~~~
compilation terminated.
`;

const NOT_DECLARED = `/fw/src/mining.cpp: In function 'void {anonymous}::stopWork()':
/fw/src/mining.cpp:56:3: error: 'esp_random' was not declared in this scope; did you mean 'srandom'?
   56 |   esp_random();
      |   ^~~~~~~~~~
      |   srandom
`;

const NO_MEMBER = `/fw/src/mining.cpp: In function 'void {anonymous}::stopWork()':
/fw/src/mining.cpp:56:8: error: 'class WiFiClass' has no member named 'softAP'
   56 |   WiFi.softAP("x");
      |        ^~~~~~
`;

const NO_OVERLOAD = `/fw/src/mining.cpp: In function 'void {anonymous}::stopWork()':
/fw/src/mining.cpp:57:17: error: no matching function for call to 'WiFiClient::connect(const char [2], int, int, int)'
   57 |   client.connect("a", 1, 2, 3);
      |   ~~~~~~~~~~~~~~^~~~~~~~~~~~~~
In file included from /karoo/hil/host-firmware/host-layer/include/WiFi.h:10,
                 from /fw/src/mining.cpp:7:
/karoo/hil/host-firmware/host-layer/include/WiFiClient.h:32:7: note: candidate: 'int WiFiClient::connect(IPAddress, uint16_t)'
`;

const IN_HEADER = `In file included from /fw/src/stratum.cpp:4:
/fw/src/stratum.h:4:10: fatal error: cJSON.h: No such file or directory
    4 | #include "cJSON.h"
      |          ^~~~~~~~~
compilation terminated.
`;

const SYNTAX = `/fw/src/utils.cpp: In function 'double diff_from_target(void*)':
/fw/src/utils.cpp:101:2: error: expected ';' before 'return'
`;

const UNDEFINED = `/usr/bin/ld: /cache/.build-x/src-mining-cpp.o: in function \`runStratumWorker(void*)':
mining.cpp:(.text+0xc92): undefined reference to \`nvs_erase_all(unsigned int)'
/usr/bin/ld: mining.cpp:(.text+0x1417): undefined reference to \`nvs_erase_all(unsigned int)'
collect2: error: ld returned 1 exit status
`;

const TWICE = `/usr/bin/ld: /cache/host-layer/abc-32.o: in function \`millis()':
host-layer-core.cpp:(.text+0x10): multiple definition of \`millis()'; /cache/.build-x/src-utils-cpp.o:utils.cpp:(.text+0x0): first defined here
collect2: error: ld returned 1 exit status
`;

describe('diagnoseCompile', () => {
  it('names the header the host layer lacks, with the line that includes it', () => {
    const d = diagnoseCompile('src/mining.cpp', MISSING_HEADER, LABELS);
    expect(d).toMatchObject({ file: 'src/mining.cpp', at: 'src/mining.cpp:17', symbol: 'HTTPClient.h' });
    expect(describeDiagnosis(d)).toBe(
      'src/mining.cpp:17 includes HTTPClient.h, which the host layer does not provide',
    );
    expect(d.excerpt[0]).toBe('src/mining.cpp:17:10: fatal error: HTTPClient.h: No such file or directory');
  });

  it('names an undeclared function, with the function it is in as context', () => {
    const d = diagnoseCompile('src/mining.cpp', NOT_DECLARED, LABELS);
    expect(describeDiagnosis(d)).toBe(
      'src/mining.cpp:56 uses esp_random, which the host layer does not declare',
    );
    expect(d.symbol).toBe('esp_random');
    expect(d.excerpt.slice(0, 3)).toEqual([
      "src/mining.cpp: In function 'void {anonymous}::stopWork()':",
      "src/mining.cpp:56:3: error: 'esp_random' was not declared in this scope; did you mean 'srandom'?",
      '   56 |   esp_random();',
    ]);
  });

  it('names a member a host-layer class does not have, and a call no overload takes', () => {
    expect(describeDiagnosis(diagnoseCompile('src/mining.cpp', NO_MEMBER, LABELS))).toBe(
      "src/mining.cpp:56 uses WiFiClass::softAP, which the host layer's WiFiClass does not have",
    );
    const d = diagnoseCompile('src/mining.cpp', NO_OVERLOAD, LABELS);
    expect(d.symbol).toBe('WiFiClient::connect(const char [2], int, int, int)');
    // Host-layer paths in the excerpt are shown relative to the host layer.
    expect(d.excerpt).toContain('In file included from host-layer/include/WiFi.h:10,');
  });

  it('says which firmware file was being built when the error is in a header it includes', () => {
    const d = diagnoseCompile('src/stratum.cpp', IN_HEADER, LABELS);
    expect(describeDiagnosis(d)).toBe(
      'src/stratum.cpp (at src/stratum.h:4) includes cJSON.h, which the host layer does not provide',
    );
    expect(d.excerpt[0]).toBe('In file included from src/stratum.cpp:4:');
  });

  it("passes on any other error in the compiler's words", () => {
    expect(describeDiagnosis(diagnoseCompile('src/utils.cpp', SYNTAX, LABELS))).toBe(
      "src/utils.cpp:101 does not compile: expected ';' before 'return'",
    );
    expect(diagnoseCompile('src/utils.cpp', 'Killed\n', LABELS).problem).toMatch(/named no error/);
  });
});

describe('diagnoseLink', () => {
  const objects = new Map([
    ['/cache/.build-x/src-mining-cpp.o', 'src/mining.cpp'],
    ['/cache/.build-x/src-utils-cpp.o', 'src/utils.cpp'],
    ['/cache/host-layer/abc-32.o', 'host-layer'],
  ]);

  it('blames an undefined reference on the firmware file whose object makes it', () => {
    const d = diagnoseLink(UNDEFINED, objects, LABELS);
    expect(describeDiagnosis(d)).toBe(
      'src/mining.cpp needs nvs_erase_all(unsigned int), which the host layer does not define',
    );
    expect(d.excerpt[0]).toBe("/usr/bin/ld: src-mining-cpp.o: in function `runStratumWorker(void*)':");
  });

  it('names a symbol the firmware and the host layer both define', () => {
    const d = diagnoseLink(TWICE, objects, LABELS);
    expect(d.symbol).toBe('millis()');
    expect(d.problem).toBe('defines millis(), which the host layer defines too');
  });
});
