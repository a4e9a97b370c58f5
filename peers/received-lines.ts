/** One line from the peer; `json` is the line as a JSON object (parsed on first use), else undefined. */
export class ReceivedLine {
  private parsed: Record<string, unknown> | null | undefined;

  constructor(
    /** Its place among every line of the connection, from 0. */
    readonly seq: number,
    readonly line: string,
  ) {}

  get json(): Record<string, unknown> | undefined {
    if (this.parsed === undefined) this.parsed = parseObject(this.line);
    return this.parsed ?? undefined;
  }
}

/** A line without a method: the answer to one of our requests. */
export interface Answer {
  id: unknown;
  result: unknown;
  error: unknown;
  line: string;
}

/** A line with a method: a notification, or a request from the peer when its id is not null. */
export interface Notification {
  id: unknown;
  method: string;
  params: unknown[];
}

/**
 * The last `keep` lines a peer sent (older ones are dropped a quarter at a time), with the lookups
 * a test or a replay asks of them: answers by id, notifications by method, each notification
 * taken once by `takeNotification`.
 */
export class ReceivedLines {
  private readonly lines: ReceivedLine[] = [];
  private total = 0;
  /** Per method, the seq of the last notification taken. */
  private readonly taken = new Map<string, number>();

  constructor(private readonly keep: number) {}

  push(line: string): void {
    if (this.keep <= 0) {
      this.total += 1;
      return;
    }
    if (this.lines.length >= this.keep) this.lines.splice(0, Math.ceil(this.keep / 4));
    this.lines.push(new ReceivedLine(this.total, line));
    this.total += 1;
  }

  /** Every line received, kept or not. */
  get count(): number {
    return this.total;
  }

  get kept(): readonly ReceivedLine[] {
    return this.lines;
  }

  answersTo(id: unknown): Answer[] {
    const key = JSON.stringify(id);
    return this.answers().filter((a) => JSON.stringify(a.id) === key);
  }

  answers(): Answer[] {
    const out: Answer[] = [];
    for (const r of this.lines) {
      const json = r.json;
      if (json !== undefined && json.method === undefined) {
        out.push({ id: json.id, result: json.result ?? null, error: json.error ?? null, line: r.line });
      }
    }
    return out;
  }

  notifications(method: string): Notification[] {
    return this.lines.filter((r) => r.json?.method === method).map((r) => notificationOf(r, method));
  }

  /** The next notification of `method` not taken by an earlier call, or undefined. */
  takeNotification(method: string): Notification | undefined {
    const after = this.taken.get(method) ?? -1;
    const hit = this.lines.find((r) => r.seq > after && r.json?.method === method);
    if (hit === undefined) return undefined;
    this.taken.set(method, hit.seq);
    return notificationOf(hit, method);
  }

  /** The last few lines, shortened, for an error message. */
  tail(count = 8): string {
    return this.lines
      .slice(-count)
      .map((r) => (r.line.length > 300 ? `${r.line.slice(0, 300)}...` : r.line))
      .join('\n');
  }
}

function notificationOf(r: ReceivedLine, method: string): Notification {
  const params = r.json?.params;
  return { id: r.json?.id, method, params: Array.isArray(params) ? (params as unknown[]) : [] };
}

function parseObject(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
