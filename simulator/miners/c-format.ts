/**
 * The number formats firmware prints with printf and Arduino's Print class, so simulated wire
 * lines and serial lines are byte-identical to a real device's.
 */

/** C printf `%.<precision>g`: shortest of %e/%f by C's rule, trailing zeros removed. */
export function formatG(value: number, precision = 6): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value < 0 ? '-inf' : 'inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  const exponential = value.toExponential(p - 1);
  const [mantissa = '', exp = '0'] = exponential.split('e');
  const x = Number.parseInt(exp, 10);
  if (x < -4 || x >= p) {
    const sign = x < 0 ? '-' : '+';
    return `${stripZeros(mantissa)}e${sign}${String(Math.abs(x)).padStart(2, '0')}`;
  }
  return stripZeros(value.toFixed(p - 1 - x));
}

function stripZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/** Arduino `Print::printFloat(number, digits)` (Serial.println(double, 12) in NerdMiner). */
export function arduinoFloat(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return 'inf';
  if (value > 4294967040.0 || value < -4294967040.0) return 'ovf';
  let out = '';
  let number = value;
  if (number < 0) {
    out += '-';
    number = -number;
  }
  let rounding = 0.5;
  for (let i = 0; i < digits; i += 1) rounding /= 10.0;
  number += rounding;
  const intPart = Math.floor(number);
  let remainder = number - intPart;
  out += String(intPart);
  if (digits > 0) out += '.';
  for (let i = 0; i < digits; i += 1) {
    remainder *= 10.0;
    const digit = Math.trunc(remainder);
    out += String(digit);
    remainder -= digit;
  }
  return out;
}

/** `%08lx`: eight lowercase hex digits. */
export function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** Arduino `String(value, HEX)`: lowercase hex without leading zeros. */
export function arduinoHex(value: number): string {
  return (value >>> 0).toString(16);
}

/** Little-endian hex of an unsigned counter in `bytes` bytes (ESP-Miner's extranonce_2_generate). */
export function counterHexLE(counter: bigint, bytes: number): string {
  const out = Buffer.alloc(bytes);
  let v = counter;
  for (let i = 0; i < bytes; i += 1) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out.toString('hex');
}
