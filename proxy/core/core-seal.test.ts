import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the sealed core (eslint no-restricted-imports)', () => {
  it('refuses an import of a core internal from outside the core', async () => {
    const found = await problems(
      'proxy/http/probe.ts',
      "import { JobBook } from '../core/job-book.js';\nexport const x = JobBook;\n",
    );
    expect(found).toEqual([expect.stringMatching(/^no-restricted-imports: .*sealed/)]);
    const deep = await problems(
      'reliability/probe.ts',
      "import { UpstreamManager } from '../proxy/core/upstream/upstream-manager.js';\nexport const x = UpstreamManager;\n",
    );
    expect(deep).toEqual([expect.stringMatching(/sealed/)]);
  });

  it('allows the core index from outside, and internals from inside', async () => {
    expect(
      await problems(
        'proxy/http/probe.ts',
        "import { ProxyCore } from '../core/index.js';\nexport const x = ProxyCore;\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'proxy/core/probe.ts',
        "import { JobBook } from './job-book.js';\nexport const x = JobBook;\n",
      ),
    ).toEqual([]);
  });
});
