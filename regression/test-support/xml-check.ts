/**
 * A small XML 1.0 well-formedness check for tests (no XML parser is installed): one root
 * element, tags nested and closed in order, attributes quoted and unique, only the five named
 * entities and character references, no '<' or bare '&' in text, no characters XML forbids.
 * Returns true, or a message saying what is wrong and where.
 */
export function checkXml(xml: string): true | string {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml))
    return 'a character XML 1.0 forbids';
  let s = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const ref = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  const checkText = (text: string, where: string): string | undefined => {
    for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
      ref.lastIndex = i;
      if (!ref.test(text)) return `bad entity in ${where}`;
    }
    return text.includes('<') ? `'<' in ${where}` : undefined;
  };
  const tag = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/;
  while (s.length > 0) {
    const lt = s.indexOf('<');
    const text = lt === -1 ? s : s.slice(0, lt);
    if (stack.length === 0 && text.trim() !== '') return 'text outside the root element';
    const bad = checkText(text, 'text');
    if (bad !== undefined) return bad;
    if (lt === -1) break;
    s = s.slice(lt);
    const m = tag.exec(s);
    if (m === null) return `malformed tag at "${s.slice(0, 40)}"`;
    const [whole, close, name, attrs, selfClose] = m as unknown as [string, string, string, string, string];
    const names = [...attrs.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)];
    if (new Set(names.map((a) => a[1])).size !== names.length) return `duplicate attribute in <${name}>`;
    for (const a of names) {
      const value = a[2] ?? a[3] ?? '';
      const problem = checkText(value, `attribute ${a[1]} of <${name}>`);
      if (problem !== undefined) return problem;
    }
    if (close) {
      if (stack.pop() !== name) return `</${name}> closes the wrong element`;
    } else if (!selfClose) {
      if (stack.length === 0) roots += 1;
      stack.push(name);
    } else if (stack.length === 0) roots += 1;
    s = s.slice(whole.length);
  }
  if (stack.length > 0) return `<${stack.at(-1)}> is never closed`;
  return roots === 1 ? true : `${roots} root elements`;
}
