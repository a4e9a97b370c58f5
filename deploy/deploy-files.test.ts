import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../proxy/config/index.js';

/** The Docker engine is not here: these check what can be checked of the files without it. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** Instructions with continuation lines joined, comments dropped. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

describe('deploy/docker/Dockerfile', () => {
  const lines = instructions(read('deploy/docker/Dockerfile'));

  it('takes the base image as a build argument for every stage and never needs a shell', () => {
    expect(lines[0]).toMatch(/^ARG BASE_IMAGE=\S+$/);
    const froms = lines.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM \$\{BASE_IMAGE\}( AS \w+)?$/);
    expect(lines.filter((l) => /^RUN\b/.test(l))).toEqual([]);
    for (const l of lines.filter((x) => /^(CMD|ENTRYPOINT|HEALTHCHECK)\b/.test(x)))
      expect(l).toMatch(/\[".*"\]$/);
  });

  it('runs `karoo proxy --config /etc/karoo/config.json` as an unprivileged user', () => {
    expect(lines).toContain('ENTRYPOINT ["node", "/app/dist/cli/main.js"]');
    expect(lines).toContain('CMD ["proxy", "--config", "/etc/karoo/config.json"]');
    expect(lines.find((l) => l.startsWith('USER '))).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
  });

  it('copies only what a staged context or the root .dockerignore provides', () => {
    const sources = lines
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources).toEqual([
      'package.json',
      'package-lock.json',
      'node_modules',
      'dist',
      'config/config.example.json',
      '${DEFAULT_CONFIG}',
    ]);
    const ignore = read('.dockerignore');
    for (const kept of [
      'package.json',
      'package-lock.json',
      'node_modules/',
      'dist/',
      'config/config.example.json',
      'deploy/docker/karoo.json',
    ]) {
      expect(ignore).toContain(`!${kept}`);
    }
    expect(read('containers/stage.sh')).toContain('deploy/docker/karoo.json');
  });

  it('ships a default config the proxy accepts', () => {
    const config = parseConfig(JSON.parse(read('deploy/docker/karoo.json')));
    expect(config.proxy.listen.port).toBe(3334);
    expect(config.http.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(read('deploy/docker/Dockerfile')).toContain('KAROO_HEALTHZ_URL=http://127.0.0.1:8080/healthz');
  });
});

describe('deploy/systemd/karoo.service', () => {
  const unit = read('deploy/systemd/karoo.service');
  const key = (name: string): string | undefined => new RegExp(`^${name}=(.*)$`, 'm').exec(unit)?.[1];

  it('runs the proxy, reloads with SIGHUP and does not restart-loop on a config error', () => {
    expect(key('ExecStart')).toMatch(/dist\/cli\/main\.js proxy --config \/etc\/karoo\/config\.json$/);
    expect(key('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(key('Restart')).toBe('on-failure');
    expect(key('RestartPreventExitStatus')).toBe('2');
    expect(key('User')).toBe('karoo');
    expect(key('NoNewPrivileges')).toBe('yes');
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
  });
});
