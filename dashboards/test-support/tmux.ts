import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A detached tmux session on its own server socket (`tmux -L karoo-test-...`), so tests never
 * touch the user's tmux. Read the screen with capture(), type with keys(), and kill() at the end.
 */
export class TmuxSession {
  readonly socket = `karoo-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  readonly name = 'dash';

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    return run('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { timeout: 15_000 });
  }

  /** Runs `command` (a shell command line) in a new width x height session. */
  async start(command: string, width: number, height: number): Promise<void> {
    await this.tmux('new-session', '-d', '-s', this.name, '-x', String(width), '-y', String(height), command);
  }

  /** The visible screen as text, one line per row. */
  async capture(): Promise<string> {
    return (await this.tmux('capture-pane', '-p', '-t', this.name)).stdout;
  }

  /** tmux key names (`q`, `Enter`, `Escape`) or literal text with `literal`. */
  async keys(keys: string, literal = false): Promise<void> {
    await this.tmux('send-keys', '-t', this.name, ...(literal ? ['-l'] : []), keys);
  }

  async alive(): Promise<boolean> {
    try {
      await this.tmux('has-session', '-t', this.name);
      return true;
    } catch {
      return false;
    }
  }

  /** Ends the server and removes its socket file (tmux leaves it behind when the last session exits). */
  async kill(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
    const dir = process.env.TMUX_TMPDIR || tmpdir();
    rmSync(join(dir, `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }

  /** Polls the screen until `check` passes; the last screen is in the error when it never does. */
  async waitForScreen(check: (screen: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = await this.capture().catch(() => screen);
      if (check(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`tmux screen never showed ${what}; last screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Polls until the session has ended. */
  async waitForExit(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (await this.alive()) {
      if (Date.now() > deadline) throw new Error('the tmux session did not end');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
