/** What a submit line that did not parse still says: who sent it, for which job (for the books). */

function rawParams(line: string): unknown[] {
  try {
    const value = JSON.parse(line) as { params?: unknown };
    return Array.isArray(value.params) ? value.params : [];
  } catch {
    return [];
  }
}

export function workerOf(line: string): string {
  const worker = rawParams(line)[0];
  return typeof worker === 'string' && worker.length <= 256 ? worker : '(unknown)';
}

export function jobIdOf(line: string): string {
  const jobId = rawParams(line)[1];
  return typeof jobId === 'string' && jobId.length <= 256 ? jobId : '';
}
