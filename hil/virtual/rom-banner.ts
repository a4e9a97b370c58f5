/**
 * What an ESP32's ROM prints at 115200 baud when EN is pulsed (esptool's hard reset is a power-on
 * reset as far as the chip can tell), before the application's first line.
 */
export const ESP32_POWERON_BANNER: readonly string[] = [
  'ets Jul 29 2019 12:21:46',
  '',
  'rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
  'configsip: 0, SPIWP:0xee',
  'clk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00',
  'mode:DIO, clock div:1',
  'load:0x3fff0030,len:1184',
  'load:0x40078000,len:13232',
  'load:0x40080400,len:3028',
  'entry 0x400805e4',
];
