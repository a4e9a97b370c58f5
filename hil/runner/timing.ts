/**
 * How long scenarios wait for each thing. Virtual boards are fast and local; real ones join Wi-Fi,
 * hash at their own pace and, after a failed connect, NerdMiner waits a random 1-60 s.
 */
export interface Timing {
  /** Reset to subscribed (boot, Wi-Fi, TCP, subscribe answer). */
  bootMs: number;
  /**
   * The reset itself (esptool's pulse, and a USB-Serial/JTAG board's re-enumeration, bounded at
   * 10 s): past this it failed, whatever the port does.
   */
  resetMs: number;
  /** The bench shows a session for a board that is subscribed. */
  sessionMs: number;
  /** One accepted share. */
  shareMs: number;
  /** Back to mining after its connection (or the upstream) was dropped. */
  reconnectMs: number;
  /** How long a board is watched after a message to conclude it ignored it. */
  quietMs: number;
  /** Hash-rate lines (one a second on NerdMiner) the median is taken over. */
  hashrateSamples: number;
  /** How long the soak scenario runs. */
  soakMs: number;
  /** Bench polling interval. */
  pollMs: number;
  /** Clock difference allowed between the board's console times and the bench's session times. */
  skewMs: number;
}

/**
 * Bounds for virtual boards are generous (a loaded CI machine); only the two waits that always run
 * to their end are short: a virtual board reacts to a message within milliseconds, and its
 * hash-rate line comes once a second as on the firmware, so 3 of them are enough for a median.
 */
export const VIRTUAL_TIMING: Readonly<Timing> = {
  bootMs: 20_000,
  resetMs: 10_000,
  sessionMs: 10_000,
  shareMs: 30_000,
  reconnectMs: 30_000,
  quietMs: 500,
  hashrateSamples: 3,
  soakMs: 10_000,
  pollMs: 100,
  skewMs: 5000,
};

export const REAL_TIMING: Readonly<Timing> = {
  bootMs: 90_000,
  resetMs: 15_000,
  sessionMs: 15_000,
  shareMs: 180_000,
  reconnectMs: 150_000,
  quietMs: 10_000,
  hashrateSamples: 10,
  soakMs: 10 * 60_000,
  pollMs: 500,
  skewMs: 10_000,
};

/**
 * NerdMiner's reported hash rate, kH/s: 1.6-1.7 builds do 45-78 on ESP32/S3, 1.8.x 150-345
 * (S2 to ESP32); the band takes all of them.
 */
export const DEFAULT_REAL_HASHRATE_BAND_KHS: readonly [number, number] = [40, 450];

/**
 * A virtual board is capped at its configured rate; on a loaded machine it may get far less CPU,
 * so the band asks only that it hashes (5% of the cap) and never beats the cap by much.
 */
export function virtualHashrateBandKhs(hashrateHs: number): [number, number] {
  return [(hashrateHs * 0.05) / 1000, (hashrateHs * 1.5) / 1000];
}
