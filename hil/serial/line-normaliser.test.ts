import { describe, expect, it } from 'vitest';
import { ConsoleLineNormaliser, splitConsoleText } from './line-normaliser.js';

describe('CR/LF normalisation', () => {
  it('ends lines at CRLF, LF and bare CR, and drops blank lines', () => {
    expect(splitConsoleText('a\r\nb\nc\rd\r\n\r\n\n  Sending  : {"id":1}\n\r\ne')).toEqual([
      'a',
      'b',
      'c',
      'd',
      '  Sending  : {"id":1}',
      'e',
    ]);
  });

  it('keeps trailing spaces that belong to the line', () => {
    expect(splitConsoleText('ERROR: 23 | reason: Low difficulty share \n')).toEqual([
      'ERROR: 23 | reason: Low difficulty share ',
    ]);
  });
});

describe('*wm: interleaves', () => {
  it('splits a WiFiManager line out of another line and rejoins the cut line', () => {
    expect(
      splitConsoleText(
        '>>> Completed 0 share(s), 848 Khashes, avg. hashrate *wm:[EVENT] WIFI_REASON:  8\r\n212.1 KH/s\nnext\n',
      ),
    ).toEqual([
      '*wm:[EVENT] WIFI_REASON:  8',
      '>>> Completed 0 share(s), 848 Khashes, avg. hashrate 212.1 KH/s',
      'next',
    ]);
  });

  it('holds the cut line across several WiFiManager lines', () => {
    const n = new ConsoleLineNormaliser();
    expect(n.accept('  Sending  : *wm:AutoConnect \r')).toEqual(['*wm:AutoConnect ']);
    expect(n.accept('*wm:[2] Connecting as wifi client... \r')).toEqual([
      '*wm:[2] Connecting as wifi client... ',
    ]);
    expect(n.accept('{"id": 3, "method": "mining.suggest_difficulty", "params": [0.00015]}')).toEqual([
      '  Sending  : {"id": 3, "method": "mining.suggest_difficulty", "params": [0.00015]}',
    ]);
    expect(n.flush()).toEqual([]);
  });

  it('emits a held fragment at the end of input', () => {
    expect(splitConsoleText('half a line*wm:AutoConnect \r\n')).toEqual(['*wm:AutoConnect ', 'half a line']);
  });

  it('passes whole *wm: lines through', () => {
    expect(splitConsoleText('*wm:AutoConnect \r\nWiFi connected\r\n')).toEqual([
      '*wm:AutoConnect ',
      'WiFi connected',
    ]);
  });

  it('bounds a held fragment', () => {
    const n = new ConsoleLineNormaliser(8);
    expect(n.accept('0123456789*wm:x')).toEqual(['*wm:x', '0123456789']);
    expect(n.accept('tail')).toEqual(['tail']);
  });
});

describe('line cap', () => {
  it('cuts a line that never ends into capped pieces', () => {
    const lines = splitConsoleText('x'.repeat(25) + '\nok\n', 10);
    expect(lines).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5), 'ok']);
  });

  it('keeps the last line without a newline', () => {
    expect(splitConsoleText('a\r\n>>> Completed 0 share(s), 2216 Khashes, avg. hash')).toEqual([
      'a',
      '>>> Completed 0 share(s), 2216 Khashes, avg. hash',
    ]);
  });
});
