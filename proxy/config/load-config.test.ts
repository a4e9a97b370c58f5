import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'karoo-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function thrown(path: string): ConfigError {
    try {
      loadConfig(path);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return err as ConfigError;
    }
    throw new Error('expected loadConfig to throw');
  }

  it('loads the example file', () => {
    const c = loadConfig(new URL('../../config/config.example.json', import.meta.url).pathname);
    expect(c.upstream.host).toBe('pool.example.org');
  });

  it('names the file when it is not JSON', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{ "upstream": { host: "x" } }');
    const err = thrown(path);
    expect(err.code).toBe('CONFIG_NOT_JSON');
    expect(err.message.startsWith(`config: ${path}: not valid JSON (`)).toBe(true);
    expect(err.message).not.toContain('\n');
  });

  it('names the file when it cannot be read', () => {
    const path = join(dir, 'missing.json');
    const err = thrown(path);
    expect(err.code).toBe('CONFIG_READ_FAILED');
    expect(err.message).toBe(`config: ${path}: cannot read the file: no such file or directory (ENOENT)`);
  });

  it('names the file when it is a directory', () => {
    const err = thrown(dir);
    expect(err.code).toBe('CONFIG_READ_FAILED');
    expect(err.message).toBe(`config: ${dir}: cannot read the file: is a directory (EISDIR)`);
  });

  it('names the file and the key when a value is bad', () => {
    const path = join(dir, 'c.json');
    writeFileSync(path, JSON.stringify({ upstream: { host: 'p', port: 'abc' } }));
    const err = thrown(path);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.key).toBe('upstream.port');
    expect(err.message).toBe(
      `config: ${path}: upstream.port: expected an integer from 1 to 65535, got "abc"`,
    );
  });

  it('accepts a UTF-8 byte order mark', () => {
    const path = join(dir, 'bom.json');
    writeFileSync(path, '\uFEFF' + JSON.stringify({ upstream: { host: 'p', port: 1 } }));
    expect(loadConfig(path).upstream.port).toBe(1);
  });
});
