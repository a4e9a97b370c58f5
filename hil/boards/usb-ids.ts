/**
 * USB serial interfaces that ESP32 mining boards expose, by USB vendor and product id.
 *
 * `reset` says how the board reacts to a hard reset: a `usb-jtag` board is the ESP32's own
 * USB-Serial/JTAG peripheral, which drops off the bus while the chip is in reset and comes back
 * (possibly under a new path); a `uart-bridge` board is a separate USB-UART chip that stays
 * enumerated while the ESP32 behind it restarts.
 */
export type ResetStyle = 'usb-jtag' | 'uart-bridge';

export interface UsbSerialChip {
  /** Four lowercase hex digits, as serialport reports it on Linux and macOS. */
  readonly vendorId: string;
  readonly productId: string;
  readonly chip: string;
  readonly reset: ResetStyle;
}

export const KNOWN_USB_SERIAL_CHIPS: readonly UsbSerialChip[] = [
  { vendorId: '303a', productId: '1001', chip: 'Espressif USB-Serial/JTAG', reset: 'usb-jtag' },
  { vendorId: '10c4', productId: 'ea60', chip: 'Silicon Labs CP210x', reset: 'uart-bridge' },
  { vendorId: '1a86', productId: '7523', chip: 'WCH CH340', reset: 'uart-bridge' },
  { vendorId: '1a86', productId: '55d4', chip: 'WCH CH9102', reset: 'uart-bridge' },
  { vendorId: '1a86', productId: '55d3', chip: 'WCH CH343', reset: 'uart-bridge' },
  { vendorId: '0403', productId: '6001', chip: 'FTDI FT232R', reset: 'uart-bridge' },
];

/**
 * Normalises a USB id as the platforms report it ("10C4" on Windows, "10c4" elsewhere,
 * occasionally "0x10c4") to four lowercase hex digits; undefined when it is not an id.
 */
export function normaliseUsbId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const hex = id.trim().toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{1,4}$/.test(hex)) return undefined;
  return hex.padStart(4, '0');
}

/** The known chip with this vendor and product id (compared case-insensitively), if any. */
export function identifyUsbChip(
  vendorId: string | undefined,
  productId: string | undefined,
): UsbSerialChip | undefined {
  const vid = normaliseUsbId(vendorId);
  const pid = normaliseUsbId(productId);
  if (vid === undefined || pid === undefined) return undefined;
  return KNOWN_USB_SERIAL_CHIPS.find((c) => c.vendorId === vid && c.productId === pid);
}
