import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An element read back from a report: name, attributes, and children in document order. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

/** Characters XML 1.0 cannot carry at all, not even as a character reference. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTES = ':@';

/**
 * Well-formedness as fast-xml-parser's XMLValidator sees it, plus what it lets through: a
 * character XML 1.0 forbids, an entity other than the five predefined ones, and anything but one
 * root element. Returns true, or what is wrong.
 */
export function checkXml(xml: string): true | string {
  if (NOT_XML.test(xml)) return 'a character XML 1.0 forbids';
  const result = XMLValidator.validate(xml);
  if (result !== true) return `${result.err.msg} (line ${result.err.line}, column ${result.err.col})`;
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)[^;\s]*;?/.exec(xml);
  if (entity !== null) return `unknown entity ${entity[0]}`;
  const roots = topLevel(xml).filter((n): n is XmlElement => typeof n !== 'string');
  const text = topLevel(xml).filter((n) => typeof n === 'string' && n.trim() !== '');
  if (roots.length !== 1 || text.length > 0) return `${roots.length} root elements and text outside them`;
  return true;
}

/** The root element of a well-formed document; throws with checkXml's reason otherwise. */
export function parseXml(xml: string): XmlElement {
  const ok = checkXml(xml);
  if (ok !== true) throw new Error(`not well-formed XML: ${ok}`);
  return topLevel(xml).find((n): n is XmlElement => typeof n !== 'string')!;
}

/** Every element named `name` at or below `root`, in document order. */
export function findElements(root: XmlElement, name: string): XmlElement[] {
  const found = root.name === name ? [root] : [];
  for (const child of root.children) if (typeof child !== 'string') found.push(...findElements(child, name));
  return found;
}

/** The element's text (its own and its descendants'), entities resolved. */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

type OrderedNode = Record<string, unknown> & { [ATTRIBUTES]?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // Character references (&#10;, &#x1F600;) resolved as well as the five named entities.
  htmlEntities: true,
});

function topLevel(xml: string): (XmlElement | string)[] {
  return (parser.parse(xml) as OrderedNode[]).map(toNode);
}

function toNode(node: OrderedNode): XmlElement | string {
  const name = Object.keys(node).find((k) => k !== ATTRIBUTES)!;
  if (name === '#text') return String(node[name]);
  const children = (node[name] as OrderedNode[]).map(toNode);
  return { name, attributes: { ...node[ATTRIBUTES] }, children };
}
