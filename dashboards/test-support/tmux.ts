import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, vi } from 'vitest';
import { PATIENCE } from '../../test-support/patience.js';

const run = promisify(execFile);

/** Each look at the screen runs tmux: look less often than PATIENCE's default. */
const SCREEN_PATIENCE = { ...PATIENCE, interval: 100 };

/**
 * A detached tmux session on its own server socket (`tmux -L karoo-test-...`) in a directory of
 * its own, so tests never touch the user's tmux and leave nothing behind. Read the screen with
 * capture(), type with keys(), and kill() at the end.
 */
export class TmuxSession {
  readonly socket = `karoo-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  readonly name = 'dash';
  /** TMUX_TMPDIR for this server: its socket lives here, and kill() removes it all. */
  private dir: string | undefined;

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    this.dir ??= mkdtempSync(join(tmpdir(), 'karoo-tmux-'));
    return run('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
      timeout: 15_000,
      env: { ...process.env, TMUX_TMPDIR: this.dir },
    });
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

  /** Ends the server and removes its socket and directory. */
  async kill(): Promise<void> {
    if (this.dir === undefined) return;
    await this.tmux('kill-server').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  /** Waits until the screen passes `check`; the last screen is in the failure when it never does. */
  async waitForScreen(check: (screen: string) => boolean, what: string): Promise<string> {
    let screen = '';
    await vi.waitFor(async () => {
      screen = await this.capture().catch(() => screen);
      expect(check(screen), `tmux screen never showed ${what}; last screen:\n${screen}`).toBe(true);
    }, SCREEN_PATIENCE);
    return screen;
  }

  /** Waits until the session has ended. */
  async waitForExit(): Promise<void> {
    await vi.waitFor(
      async () => expect(await this.alive(), 'the tmux session did not end').toBe(false),
      SCREEN_PATIENCE,
    );
  }
}
