import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAULT_ACTIONS } from './fault-spec.js';
import { ScenarioError, loadScenarioFile, parseFaultSpec, parseScenario } from './scenario-file.js';

const EXAMPLE = fileURLToPath(new URL('../scenarios/example.yaml', import.meta.url));

describe('scenario files', () => {
  it('loads the documented example, which uses every fault', () => {
    const scenario = loadScenarioFile(EXAMPLE);
    expect(scenario.description).toMatch(/bad day/);
    expect(new Set(scenario.faults.map((f) => f.action))).toEqual(new Set(FAULT_ACTIONS));
    expect(scenario.faults[0]).toEqual({ id: 'drop-each', action: 'drop', target: 'each', at: 90_000 });
    expect(scenario.faults.find((f) => f.action === 'delay')).toMatchObject({
      at: 120_000,
      delay: 2000,
      duration: 20_000,
    });
    expect(scenario.faults.find((f) => f.action === 'difficulty')).toMatchObject({
      target: { connection: 2 },
      afterShares: 10,
      factor: 100,
    });
  });

  it('reads JSON as well as YAML, with durations in seconds or with units', () => {
    const json = parseScenario('{"faults":[{"action":"stall","at":1.5,"duration":"250ms"}]}');
    expect(json.faults).toEqual([{ action: 'stall', at: 1500, duration: 250, target: 'all' }]);
    expect(json.entries).toEqual([{ action: 'stall', at: 1.5, duration: '250ms' }]);
    const yaml = parseScenario('faults:\n  - action: refuse\n    every: 2m\n');
    expect(yaml.faults).toEqual([{ action: 'refuse', every: 120_000, target: 'all', mode: 'refuse' }]);
    expect(parseScenario('').faults).toEqual([]);
  });

  it('fills in the documented defaults', () => {
    const s = parseScenario(
      'faults: [{action: reject, fraction: 0.1}, {action: oversize}, {action: huge-notify}, {action: reconnect}, {action: garbage}]',
    );
    expect(s.faults).toMatchObject([
      { code: 20 },
      { bytes: 300_000 },
      { branches: 1000 },
      { waitSeconds: 0 },
      { text: expect.stringContaining('not JSON') },
    ]);
  });

  it('names the key and the expected value when something is wrong', () => {
    const cases: [string, RegExp][] = [
      ['faults: [{action: dorp}]', /faults\[0\]\.action: expected one of 'drop' \| 'stall'.*got "dorp"/],
      ['faults: [{action: reject, fraction: 2}]', /faults\[0\]\.fraction: expected number to be <=1, got 2/],
      ['faults: [{action: delay}]', /faults\[0\]\.delay: .*got nothing/],
      ['faults: [{action: stall, at: soon}]', /faults\[0\]\.at: .*duration.*got "soon"/],
      ['faults: [{action: drop, duration: 5}]', /faults\[0\]: Unrecognized key: "duration"/],
      [
        'faults: [{action: drop, at: 1, afterShares: 2}]',
        /faults\[0\]\.afterShares: expected at most one of at or afterShares/,
      ],
      [
        'faults: [{action: difficulty}]',
        /faults\[0\]\.difficulty: expected exactly one of difficulty or factor/,
      ],
      ['faults: [{action: drop, target: {worker: 3}}]', /faults\[0\]\.target/],
      ['fault: []', /Unrecognized key: "fault"/],
      ['faults: [', /not valid JSON or YAML/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseScenario(text, 'f.yaml')).toThrow(ScenarioError);
      expect(() => parseScenario(text, 'f.yaml')).toThrow(message);
    }
  });

  it('reports a missing file by name, and reads JSON as well as YAML', () => {
    const missing = fileURLToPath(new URL('../scenarios/nope.yaml', import.meta.url));
    expect(() => loadScenarioFile(missing)).toThrow(/nope\.yaml: cannot read \(ENOENT\)/);
    const json = JSON.stringify({ faults: [{ action: 'drop', target: { session: '3' } }] });
    expect(parseScenario(json, 'ok.json').faults[0]?.target).toEqual({ session: '3' });
  });

  it('validates single faults for the programmatic API', () => {
    expect(parseFaultSpec({ action: 'set-version-mask', mask: '1fffe000' })).toMatchObject({ target: 'all' });
    expect(() => parseFaultSpec({ action: 'set-extranonce', extranonce1: 'abc' })).toThrow(
      /extranonce1: expected 1 to 8 bytes of hex/,
    );
  });
});
