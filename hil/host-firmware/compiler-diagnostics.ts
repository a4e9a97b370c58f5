/** What went wrong in a failed compile or link, for one line of report plus the compiler's excerpt. */
export interface BuildDiagnosis {
  /** The firmware (or host-layer) file whose build failed: `src/mining.cpp`. */
  readonly file: string;
  /** Where the compiler pointed, when it is more precise than `file`: `src/mining.cpp:588`, `src/stratum.h:4`. */
  readonly at?: string;
  /** The missing symbol, member, type or header, when the compiler named one. */
  readonly symbol?: string;
  /** What happened, in words that fit after the file name. */
  readonly problem: string;
  /** The compiler's lines around the first error, paths shortened. */
  readonly excerpt: string[];
}

/** Absolute path prefixes and what to show instead (`''` makes a path relative). */
export type PathLabels = ReadonlyArray<readonly [prefix: string, label: string]>;

const EXCERPT_LINES = 14;
const CONTEXT_BACK = 6;
const Q = `['\u2018\u2019\`]`;
const NQ = `[^'\u2018\u2019\`]`;

/** Compile errors the host layer can cause, each with the symbol it names and the words for it. */
const COMPILE_RULES: ReadonlyArray<
  readonly [RegExp, (m: RegExpExecArray) => { symbol: string; problem: string }]
> = [
  [
    new RegExp(`fatal error: (\\S+): No such file or directory`),
    (m) => ({ symbol: m[1]!, problem: `includes ${m[1]!}, which the host layer does not provide` }),
  ],
  [
    new RegExp(`error: ${Q}(${NQ}+)${Q} (?:was not declared in this scope|has not been declared)`),
    (m) => ({ symbol: m[1]!, problem: `uses ${m[1]!}, which the host layer does not declare` }),
  ],
  [
    new RegExp(`error: ${Q}(${NQ}+)${Q} is not a member of ${Q}(${NQ}+)${Q}`),
    (m) => ({
      symbol: `${m[2]!}::${m[1]!}`,
      problem: `uses ${m[2]!}::${m[1]!}, which the host layer does not declare`,
    }),
  ],
  [
    new RegExp(`error: ${Q}(?:class|struct|union) (${NQ}+)${Q} has no member named ${Q}(${NQ}+)${Q}`),
    (m) => ({
      symbol: `${m[1]!}::${m[2]!}`,
      problem: `uses ${m[1]!}::${m[2]!}, which the host layer's ${m[1]!} does not have`,
    }),
  ],
  [
    new RegExp(`error: ${Q}(${NQ}+)${Q} does not name a type`),
    (m) => ({ symbol: m[1]!, problem: `uses the type ${m[1]!}, which the host layer does not declare` }),
  ],
  [
    new RegExp(`error: no matching function for call to ${Q}(${NQ}+)${Q}`),
    (m) => ({ symbol: m[1]!, problem: `calls ${m[1]!}, which matches nothing the host layer declares` }),
  ],
  [
    new RegExp(`error: invalid use of incomplete type ${Q}(?:class|struct) (${NQ}+)${Q}`),
    (m) => ({ symbol: m[1]!, problem: `uses ${m[1]!}, which the host layer declares but does not define` }),
  ],
];

const LOCATION = /^(.+?):(\d+)(?::\d+)?: (?:fatal )?error: /;
const CONTEXT =
  /^In file included from |^\s+from |: In (?:member |static member )?function|: In instantiation of|: In constructor|: At global scope|: In lambda function|: required from |: in function `/;

/** The first error of a failed compile of `file`. */
export function diagnoseCompile(file: string, output: string, labels: PathLabels): BuildDiagnosis {
  const lines = shorten(output, labels).split('\n');
  const index = lines.findIndex((l) => / (?:fatal )?error: /.test(l));
  if (index < 0) {
    return {
      file,
      problem: 'did not compile (the compiler named no error)',
      excerpt: lines.slice(-EXCERPT_LINES),
    };
  }
  const line = lines[index]!;
  const where = LOCATION.exec(line);
  const at = where === null ? undefined : `${where[1]!}:${where[2]!}`;
  for (const [pattern, describe] of COMPILE_RULES) {
    const m = pattern.exec(line);
    if (m !== null) return { file, ...(at && { at }), ...describe(m), excerpt: excerptAt(lines, index) };
  }
  const text = line.replace(/^.*? (?:fatal )?error: /, '');
  return { file, ...(at && { at }), problem: `does not compile: ${text}`, excerpt: excerptAt(lines, index) };
}

/**
 * The first problem of a failed link. `objects` maps each object file to the unit it was built
 * from, so an undefined reference is blamed on the firmware file that makes it.
 */
export function diagnoseLink(
  output: string,
  objects: ReadonlyMap<string, string>,
  labels: PathLabels,
): BuildDiagnosis {
  const raw = output.split('\n');
  const lines = shorten(output, labels).split('\n');
  const index = raw.findIndex((l) => /undefined reference to|multiple definition of/.test(l));
  if (index < 0) {
    return {
      file: 'the link',
      problem: 'did not link (the linker named no symbol)',
      excerpt: lines.slice(-EXCERPT_LINES),
    };
  }
  let file = 'the link';
  for (let i = index; i >= Math.max(0, index - CONTEXT_BACK); i--) {
    const owner = [...objects].find(([object]) => raw[i]!.includes(object));
    if (owner !== undefined) {
      file = owner[1];
      break;
    }
  }
  const undefinedRef = new RegExp(`undefined reference to ${Q}(${NQ}+)${Q}`).exec(raw[index]!);
  if (undefinedRef !== null) {
    const symbol = undefinedRef[1]!;
    return {
      file,
      symbol,
      problem: `needs ${symbol}, which the host layer does not define`,
      excerpt: excerptAt(lines, index),
    };
  }
  const twice = new RegExp(`multiple definition of ${Q}(${NQ}+)${Q}`).exec(raw[index]!);
  const symbol = twice?.[1] ?? '?';
  return {
    file,
    symbol,
    problem: `defines ${symbol}, which the host layer defines too`,
    excerpt: excerptAt(lines, index),
  };
}

/** One line: `src/mining.cpp:588 uses esp_random, which ...`, or `src/stratum.cpp (at src/stratum.h:4) includes ...`. */
export function describeDiagnosis(d: BuildDiagnosis): string {
  if (d.at === undefined) return `${d.file} ${d.problem}`;
  if (d.at.startsWith(`${d.file}:`)) return `${d.at} ${d.problem}`;
  return `${d.file} (at ${d.at}) ${d.problem}`;
}

function excerptAt(lines: readonly string[], index: number): string[] {
  let start = index;
  while (start > 0 && index - start < CONTEXT_BACK && CONTEXT.test(lines[start - 1]!)) start--;
  return lines.slice(start, start + EXCERPT_LINES).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
}

function shorten(text: string, labels: PathLabels): string {
  let out = text;
  for (const [prefix, label] of [...labels].sort((a, b) => b[0].length - a[0].length)) {
    const withSlash = prefix.endsWith('/') ? prefix : `${prefix}/`;
    out = out.split(withSlash).join(label === '' ? '' : `${label}/`);
  }
  return out;
}
