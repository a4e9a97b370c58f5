import { TrustedNetworks } from './trusted-networks.js';

/** Per-IP records kept at most; past it new addresses are admitted untracked (max_clients still holds). */
export const DEFAULT_MAX_TRACKED_IPS = 100_000;
/** The rate window: `max_connections_per_minute`. */
export const RATE_WINDOW_MS = 60_000;

export interface IpLimitSettings {
  /** Connection count and rate limits (`ratelimit.enabled`); bans are honoured either way. */
  enabled: boolean;
  /** Open connections from one IP; 0 = unlimited. */
  maxConnectionsPerIp: number;
  /** New connections per minute from one IP before it is banned; 0 = unlimited. */
  maxConnectionsPerMinute: number;
  /** Length of the ban a connection flood earns. */
  banDurationMs: number;
  /** CIDR ranges exempt from the count and rate limits and from bans (`ratelimit.trusted`). */
  trusted?: readonly string[];
}

export type RefusalReason = 'banned' | 'per-ip' | 'rate';

export type AdmitVerdict =
  | { ok: true }
  /** `ban` is set when this very attempt earned one (a connection flood). */
  | { ok: false; reason: RefusalReason; detail: string; ban?: BanInfo };

export interface BanInfo {
  ip: string;
  until: number;
  reason: string;
}

interface IpRecord {
  open: number;
  /** Index of the rate window (now / RATE_WINDOW_MS) `current` counts. */
  window: number;
  current: number;
  previous: number;
  lastSeen: number;
}

/**
 * Connection limits per IP, pure (time comes in as ms): open connections at once, a sliding
 * one-minute connection rate (two fixed windows, the older weighted by how much of it still
 * overlaps), and temporary bans, either for a flood or imposed from outside (reject ratio).
 * Memory is bounded: idle records are forgotten by `sweep`, and at most `maxTracked` are kept.
 */
export class IpLimiter {
  private readonly records = new Map<string, IpRecord>();
  private readonly banned = new Map<string, BanInfo>();
  private trustedNetworks: TrustedNetworks;

  constructor(
    private settings: IpLimitSettings,
    private readonly maxTracked = DEFAULT_MAX_TRACKED_IPS,
  ) {
    this.trustedNetworks = new TrustedNetworks(settings.trusted);
  }

  reconfigure(settings: IpLimitSettings): void {
    this.settings = settings;
    this.trustedNetworks = new TrustedNetworks(settings.trusted);
    // A ban on an address that is now trusted no longer holds.
    for (const ip of this.banned.keys()) if (this.trustedNetworks.has(ip)) this.banned.delete(ip);
  }

  /** Whether `ip` is in a `ratelimit.trusted` range. */
  isTrusted(ip: string): boolean {
    return this.trustedNetworks.has(ip);
  }

  /** The trusted ranges in force, normalised. */
  get trusted(): readonly string[] {
    return this.trustedNetworks.ranges;
  }

  /**
   * A new connection from `ip`: admitted (and counted open until `release`) or refused. A trusted
   * address is always admitted and not tracked.
   */
  admit(ip: string, now: number): AdmitVerdict {
    if (this.trustedNetworks.has(ip)) return { ok: true };
    const ban = this.banOf(ip, now);
    if (ban) {
      return { ok: false, reason: 'banned', detail: `banned for ${ban.reason} until ${iso(ban.until)}` };
    }
    const rec = this.record(ip, now);
    if (!rec) return { ok: true };
    rec.lastSeen = now;
    this.roll(rec, now);
    rec.current += 1;
    const { enabled, maxConnectionsPerIp, maxConnectionsPerMinute, banDurationMs } = this.settings;
    if (enabled && maxConnectionsPerMinute > 0 && this.rate(rec, now) > maxConnectionsPerMinute) {
      const ban = banDurationMs > 0 ? this.ban(ip, now, banDurationMs, 'connection flood') : undefined;
      return {
        ok: false,
        reason: 'rate',
        detail: `more than ${maxConnectionsPerMinute} connections per minute`,
        ...(ban ? { ban } : {}),
      };
    }
    if (enabled && maxConnectionsPerIp > 0 && rec.open >= maxConnectionsPerIp) {
      return { ok: false, reason: 'per-ip', detail: `${rec.open} connections open from this address` };
    }
    rec.open += 1;
    return { ok: true };
  }

  /** An admitted connection from `ip` closed. */
  release(ip: string, now: number): void {
    const rec = this.records.get(ip);
    if (!rec) return;
    rec.open = Math.max(0, rec.open - 1);
    rec.lastSeen = now;
  }

  /** Bans `ip` for `durationMs`; a trusted address is never banned (undefined). */
  ban(ip: string, now: number, durationMs: number, reason: string): BanInfo | undefined {
    if (this.trustedNetworks.has(ip)) return undefined;
    if (!this.banned.has(ip) && this.banned.size >= this.maxTracked) {
      this.sweep(now);
      const oldest = this.banned.keys().next();
      if (this.banned.size >= this.maxTracked && !oldest.done) this.banned.delete(oldest.value);
    }
    const info = { ip, until: now + durationMs, reason };
    this.banned.delete(ip);
    this.banned.set(ip, info);
    return info;
  }

  unban(ip: string): boolean {
    return this.banned.delete(ip);
  }

  banOf(ip: string, now: number): BanInfo | undefined {
    const ban = this.banned.get(ip);
    if (ban && now >= ban.until) {
      this.banned.delete(ip);
      return undefined;
    }
    return ban;
  }

  openFrom(ip: string): number {
    return this.records.get(ip)?.open ?? 0;
  }

  /** Forgets expired bans and addresses with nothing open and no recent connection. */
  sweep(now: number): void {
    for (const [ip, ban] of this.banned) if (now >= ban.until) this.banned.delete(ip);
    for (const [ip, rec] of this.records) {
      if (rec.open === 0 && now - rec.lastSeen >= 2 * RATE_WINDOW_MS) this.records.delete(ip);
    }
  }

  get trackedCount(): number {
    return this.records.size;
  }

  /** Bans in force, oldest first. */
  bans(now: number): BanInfo[] {
    return [...this.banned.values()].filter((b) => now < b.until);
  }

  private record(ip: string, now: number): IpRecord | undefined {
    let rec = this.records.get(ip);
    if (rec) return rec;
    if (this.records.size >= this.maxTracked) {
      this.sweep(now);
      if (this.records.size >= this.maxTracked) return undefined;
    }
    rec = { open: 0, window: Math.floor(now / RATE_WINDOW_MS), current: 0, previous: 0, lastSeen: now };
    this.records.set(ip, rec);
    return rec;
  }

  private roll(rec: IpRecord, now: number): void {
    const window = Math.floor(now / RATE_WINDOW_MS);
    if (window === rec.window) return;
    rec.previous = window === rec.window + 1 ? rec.current : 0;
    rec.current = 0;
    rec.window = window;
  }

  /** Connections in the last minute, estimated. */
  private rate(rec: IpRecord, now: number): number {
    const into = (now % RATE_WINDOW_MS) / RATE_WINDOW_MS;
    return rec.previous * (1 - into) + rec.current;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
