import type { ProxyConfig } from '../config/index.js';
import { formatHostPort } from '../config/host-port.js';

/**
 * What a reload does with a changed key:
 *  - `live`: applied at once to everything running (a change to the pool in use moves the upstream
 *    over: the changed pool is dialled while the old session serves, the miners stay);
 *  - `new-connections`: applies to miners that connect afterwards;
 *  - `next-dial`: used the next time the proxy dials the pool (no reconnect is forced);
 *  - `restart`: needs a process restart (reported, not applied).
 */
export type ReloadEffect = 'live' | 'new-connections' | 'next-dial' | 'restart';

export interface ConfigChange {
  /** The config file's dotted key, e.g. `vardiff.min_diff`, `backups[1].host`. */
  key: string;
  from: unknown;
  to: unknown;
  effect: ReloadEffect;
}

/** Read once per pool session. */
const UPSTREAM_DIAL_KEYS = new Set(['notify_timeout_ms']);
/** What the pool is: a change moves the upstream over at once when that pool is in use. */
const UPSTREAM_ENDPOINT_KEYS = new Set([
  'host',
  'port',
  'user',
  'pass',
  'tls',
  'insecure_skip_verify',
  'suggest_difficulty',
]);
/** The upstream policy the core applies at once (from its next timer). */
const UPSTREAM_LIVE_KEYS = new Set([
  'backoff_min_ms',
  'backoff_max_ms',
  'mode',
  'idle_grace_ms',
  'primary_probe_ms',
]);

/** The effect of each key; the first matching rule wins, unlisted keys need a restart. */
const RULES: [RegExp, ReloadEffect][] = [
  [/^proxy\.(client_idle_ms|max_clients|subscribe_timeout_ms)$/, 'live'],
  [/^proxy\.(read_buf|write_buf)$/, 'new-connections'],
  [/^proxy\.tls\.(cert_file|key_file)$/, 'live'],
  [/^vardiff\.start_diff$/, 'new-connections'],
  [/^(vardiff|ratelimit|limits|compat|log)\./, 'live'],
  [/^http\.(token|require_token)$/, 'live'],
];

/** Every key whose value differs between two configs, with what a reload does about it. */
export function diffConfigs(from: ProxyConfig, to: ProxyConfig): ConfigChange[] {
  const a = flatten(from);
  const b = flatten(to);
  const changes: ConfigChange[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    if (Object.is(x, y)) continue;
    changes.push({ key, from: x, to: y, effect: effectOf(key) });
  }
  return changes.sort((p, q) => p.key.localeCompare(q.key));
}

/**
 * The effect of one key. The pool list applies at once whatever its length (a pool in use that
 * was removed or changed is moved off); a backup's own backoff, mode and grace keys are not used
 * (the primary's apply to every pool).
 */
export function effectOf(key: string): ReloadEffect {
  if (key === 'backups.length') return 'live';
  // The SOCKS proxy is part of the way to a pool, like its host.
  if (/^(upstream|backups\[\d+\])\.socks_proxy(\.[a-z_]+)?$/.test(key)) return 'live';
  const upstream = /^(upstream|backups\[\d+\])\.([a-z_]+)$/.exec(key);
  if (upstream) {
    const name = upstream[2] ?? '';
    if (UPSTREAM_ENDPOINT_KEYS.has(name)) return 'live';
    if (UPSTREAM_DIAL_KEYS.has(name)) return 'next-dial';
    return key.startsWith('upstream') && UPSTREAM_LIVE_KEYS.has(name) ? 'live' : 'restart';
  }
  for (const [pattern, effect] of RULES) if (pattern.test(key)) return effect;
  return 'restart';
}

/** Leaves as file keys (snake_case); a listen address is one leaf `HOST:PORT`. */
function flatten(config: ProxyConfig): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      out.set(`${key}.length`, value.length);
      value.forEach((v, i) => walk(v, `${key}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj);
      if (keys.length === 2 && 'host' in obj && 'port' in obj && key.endsWith('listen')) {
        out.set(key, formatHostPort(obj as { host: string; port: number }));
        return;
      }
      for (const k of keys) walk(obj[k], key === '' ? snake(k) : `${key}.${snake(k)}`);
    } else out.set(key, value);
  };
  const { warnings: _warnings, ...rest } = config;
  walk(rest, '');
  return out;
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
