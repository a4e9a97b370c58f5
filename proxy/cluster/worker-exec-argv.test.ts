import { describe, expect, it } from 'vitest';
import { WORKER_SEMI_SPACE_MB, workerExecArgv } from './cluster-primary.js';

describe('workerExecArgv', () => {
  it("keeps the primary's flags and adds a small young generation", () => {
    expect(workerExecArgv(['--enable-source-maps'], undefined)).toEqual([
      '--enable-source-maps',
      `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`,
    ]);
  });

  it('leaves the young generation alone when node or NODE_OPTIONS already sets it', () => {
    expect(workerExecArgv(['--max-semi-space-size=16'], undefined)).toEqual(['--max-semi-space-size=16']);
    expect(workerExecArgv([], '--trace-gc --max_semi_space_size=32')).toEqual([]);
  });
});
