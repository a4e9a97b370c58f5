/**
 * Regenerates fixtures/recordings/ (see regression/README.md, "Fixtures"):
 *
 *   npm run build && node dist/regression/scripts/record-fixtures.js [NAME...]
 *
 * With names, only those fixtures are recorded again (e.g. pool-bitaxe karoo-edge-cases).
 */
import { fileURLToPath } from 'node:url';
import { FIXTURES, generateFixtures } from '../fixture-sessions/generate-fixtures.js';

const OUT = fileURLToPath(new URL('../../../fixtures/recordings/', import.meta.url));

const only = process.argv.slice(2);
const unknown = only.filter((n) => !FIXTURES.some((f) => f.name === n));
if (unknown.length > 0) {
  process.stderr.write(
    `record-fixtures: unknown fixture ${unknown.join(', ')}; known: ${FIXTURES.map((f) => f.name).join(', ')}\n`,
  );
  process.exit(2);
}
const written = await generateFixtures(OUT, only.length > 0 ? { only } : {});
for (const path of written) process.stdout.write(`${path}\n`);
