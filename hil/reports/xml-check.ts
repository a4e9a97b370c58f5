/**
 * A strict XML 1.0 well-formedness check with a tiny DOM, enough to prove the JUnit report parses
 * (as CI servers will) without a dependency: one root, matched and properly nested tags, unique
 * quoted attributes, only the predefined entities and valid character references, no raw `<`
 * or `&`, no "]]>" in text, legal comments, CDATA and processing instructions, and only
 * characters XML allows. No DTD support: a DOCTYPE is an error.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'XmlSyntaxError';
  }
}

const NAME_START =
  /[A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
/** NameChar beyond NameStartChar: "-", ".", digits, U+00B7, combining marks U+0300-036F, U+203F-2040. */
function isNameChar(ch: string): boolean {
  if (NAME_START.test(ch) || /[-.0-9\u00B7]/.test(ch)) return true;
  const cp = ch.codePointAt(0)!;
  return (cp >= 0x300 && cp <= 0x36f) || cp === 0x203f || cp === 0x2040;
}
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parses `text`, throwing XmlSyntaxError at the first violation; returns the root element. */
export function parseXml(text: string): XmlElement {
  return new XmlReader(text).document();
}

/** True when `text` is well-formed XML. */
export function isWellFormedXml(text: string): boolean {
  try {
    parseXml(text);
    return true;
  } catch (err) {
    if (err instanceof XmlSyntaxError) return false;
    throw err;
  }
}

/** Every descendant element named `name`, in document order. */
export function findElements(root: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (el: XmlElement): void => {
    if (el.name === name) found.push(el);
    for (const child of el.children) if (typeof child !== 'string') walk(child);
  };
  walk(root);
  return found;
}

/** The concatenated text directly inside `el`. */
export function textOf(el: XmlElement): string {
  return el.children.filter((c): c is string => typeof c === 'string').join('');
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

class XmlReader {
  private pos = 0;

  constructor(private readonly s: string) {}

  document(): XmlElement {
    this.checkChars();
    if (this.s.startsWith('\uFEFF')) this.pos = 1;
    if (this.s.startsWith('<?xml', this.pos) && /\s/.test(this.s[this.pos + 5] ?? '')) this.declaration();
    this.misc();
    if (this.s.startsWith('<!DOCTYPE', this.pos)) this.fail('DOCTYPE is not supported');
    if (this.s[this.pos] !== '<') this.fail('expected the root element');
    const root = this.element();
    this.misc();
    if (this.pos < this.s.length) this.fail('content after the root element');
    return root;
  }

  private checkChars(): void {
    for (let i = 0; i < this.s.length; i++) {
      const cp = this.s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      else if (cp >= 0xd800 && cp <= 0xdfff) throw new XmlSyntaxError('lone surrogate', i);
      if (!isXmlChar(cp)) throw new XmlSyntaxError(`character U+${cp.toString(16)} not allowed in XML`, i);
    }
  }

  private declaration(): void {
    this.pos += 5;
    const attrs = this.attributes('?>');
    if (attrs.version === undefined || !/^1\.\d+$/.test(attrs.version))
      this.fail('bad XML declaration version');
    for (const key of Object.keys(attrs)) {
      if (!['version', 'encoding', 'standalone'].includes(key))
        this.fail(`unknown declaration attribute ${key}`);
    }
    this.expect('?>');
  }

  /** Whitespace, comments and processing instructions outside the root. */
  private misc(): void {
    for (;;) {
      this.skipSpace();
      if (this.s.startsWith('<!--', this.pos)) this.comment();
      else if (this.s.startsWith('<?', this.pos)) this.pi();
      else return;
    }
  }

  private element(): XmlElement {
    this.expect('<');
    const name = this.name();
    const attributes = this.attributes('>');
    if (this.s.startsWith('/>', this.pos)) {
      this.pos += 2;
      return { name, attributes, children: [] };
    }
    this.expect('>');
    const children: XmlNode[] = [];
    let text = '';
    for (;;) {
      if (this.pos >= this.s.length) this.fail(`unclosed element <${name}>`);
      const ch = this.s[this.pos];
      if (ch === '<') {
        if (this.s.startsWith('</', this.pos)) {
          this.pos += 2;
          const end = this.name();
          if (end !== name) this.fail(`</${end}> closes <${name}>`);
          this.skipSpace();
          this.expect('>');
          if (text !== '') children.push(text);
          return { name, attributes, children };
        }
        if (this.s.startsWith('<!--', this.pos)) this.comment();
        else if (this.s.startsWith('<![CDATA[', this.pos)) text += this.cdata();
        else if (this.s.startsWith('<?', this.pos)) this.pi();
        else if (this.s.startsWith('<!', this.pos)) this.fail('markup declaration inside an element');
        else {
          if (text !== '') children.push(text);
          text = '';
          children.push(this.element());
        }
      } else if (ch === '&') {
        text += this.reference();
      } else {
        if (this.s.startsWith(']]>', this.pos)) this.fail('"]]>" in text');
        text += ch;
        this.pos++;
      }
    }
  }

  /** Attributes up to (not including) `end` or "/>"; unique names, quoted values. */
  private attributes(end: string): Record<string, string> {
    const attrs: Record<string, string> = {};
    for (;;) {
      const hadSpace = this.skipSpace();
      if (this.s.startsWith(end, this.pos) || this.s.startsWith('/>', this.pos)) return attrs;
      if (!hadSpace) this.fail('expected whitespace before an attribute');
      const key = this.name();
      this.skipSpace();
      this.expect('=');
      this.skipSpace();
      if (Object.hasOwn(attrs, key)) this.fail(`duplicate attribute ${key}`);
      attrs[key] = this.attrValue();
    }
  }

  private attrValue(): string {
    const quote = this.s[this.pos];
    if (quote !== '"' && quote !== "'") this.fail('expected a quoted attribute value');
    this.pos++;
    let value = '';
    for (;;) {
      const ch = this.s[this.pos];
      if (ch === undefined) this.fail('unterminated attribute value');
      if (ch === quote) {
        this.pos++;
        return value;
      }
      if (ch === '<') this.fail('"<" in an attribute value');
      if (ch === '&') value += this.reference();
      else {
        value += ch;
        this.pos++;
      }
    }
  }

  private reference(): string {
    const start = this.pos;
    const semi = this.s.indexOf(';', start);
    if (semi === -1 || semi - start > 12) this.fail('unterminated entity reference');
    const body = this.s.slice(start + 1, semi);
    this.pos = semi + 1;
    let cp: number;
    if (/^#[0-9]+$/.test(body)) cp = Number(body.slice(1));
    else if (/^#x[0-9a-fA-F]+$/.test(body)) cp = Number.parseInt(body.slice(2), 16);
    else if (Object.hasOwn(PREDEFINED, body)) return PREDEFINED[body]!;
    else throw new XmlSyntaxError(`unknown entity &${body};`, start);
    if (!isXmlChar(cp))
      throw new XmlSyntaxError(`character reference &${body}; is not an XML character`, start);
    return String.fromCodePoint(cp);
  }

  private comment(): void {
    const start = this.pos;
    const end = this.s.indexOf('-->', start + 4);
    if (end === -1) this.fail('unterminated comment');
    const body = this.s.slice(start + 4, end);
    if (body.includes('--') || body.endsWith('-')) {
      throw new XmlSyntaxError('"--" inside a comment', start);
    }
    this.pos = end + 3;
  }

  private cdata(): string {
    const start = this.pos + 9;
    const end = this.s.indexOf(']]>', start);
    if (end === -1) this.fail('unterminated CDATA section');
    this.pos = end + 3;
    return this.s.slice(start, end);
  }

  private pi(): void {
    this.pos += 2;
    const target = this.name();
    if (target.toLowerCase() === 'xml') this.fail('XML declaration not at the start');
    const end = this.s.indexOf('?>', this.pos);
    if (end === -1) this.fail('unterminated processing instruction');
    if (end > this.pos && !/\s/.test(this.s[this.pos]!)) this.fail('expected whitespace after the PI target');
    this.pos = end + 2;
  }

  private name(): string {
    const start = this.pos;
    if (!NAME_START.test(this.s[this.pos] ?? '')) this.fail('expected a name');
    this.pos++;
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos]!;
      if (!isNameChar(ch)) break;
      this.pos++;
    }
    return this.s.slice(start, this.pos);
  }

  private skipSpace(): boolean {
    const start = this.pos;
    while (/[ \t\r\n]/.test(this.s[this.pos] ?? '')) this.pos++;
    return this.pos > start;
  }

  private expect(text: string): void {
    if (!this.s.startsWith(text, this.pos)) this.fail(`expected "${text}"`);
    this.pos += text.length;
  }

  private fail(message: string): never {
    throw new XmlSyntaxError(message, this.pos);
  }
}
