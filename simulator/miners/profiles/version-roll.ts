/** Spreads the low bits of `index` over the set bits of `mask` (what an ASIC's version roller does). */
export function depositBits(index: number, mask: number): number {
  let out = 0;
  let bit = 0;
  for (let pos = 0; pos < 32; pos += 1) {
    const m = 2 ** pos;
    if (Math.floor(mask / m) % 2 === 1) {
      if (Math.floor(index / 2 ** bit) % 2 === 1) out += m;
      bit += 1;
    }
  }
  return out >>> 0;
}

/** How many distinct versions a mask allows, capped at 2^16 rolls. */
export function rollCount(mask: number): number {
  let bits = 0;
  for (let m = mask >>> 0; m !== 0; m >>>= 1) bits += m & 1;
  return 2 ** Math.min(bits, 16);
}
