/**
 * A small, strict XML reader for test reports: elements, attributes, text, comments, the XML
 * declaration and the five predefined entities plus numeric references. Throws on anything not
 * well-formed (mismatched or unclosed tags, bad attributes, stray '<' or '&').
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_.:]*/y;
const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  return s.replace(/&([^;\s&<]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new Error(`bad entity reference near offset ${at}`);
    if (body in ENTITY) return ENTITY[body];
    const num = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(body);
    if (num) return String.fromCodePoint(num[1].startsWith('x') ? parseInt(num[1].slice(1), 16) : parseInt(num[1], 10));
    throw new Error(`unknown entity &${body}; near offset ${at}`);
  });
}

export function parseXml(src: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipWs = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (!m) throw new Error(`expected a name at offset ${i}`);
    i += m[0].length;
    return m[0];
  };
  if (src.startsWith('\uFEFF')) i = 1;
  if (src.startsWith('<?xml', i)) {
    const end = src.indexOf('?>', i);
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  while (i < src.length) {
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) throw new Error(`unterminated comment at offset ${i}`);
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i);
      if (end < 0 || !stack.length) throw new Error(`bad CDATA at offset ${i}`);
      stack[stack.length - 1].text += src.slice(i + 9, end);
      i = end + 3;
    } else if (src.startsWith('</', i)) {
      i += 2;
      const name = readName();
      skipWs();
      if (src[i] !== '>') throw new Error(`expected '>' at offset ${i}`);
      i++;
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`mismatched closing tag </${name}> at offset ${i}`);
    } else if (src[i] === '<') {
      i++;
      const el: XmlElement = { name: readName(), attributes: {}, children: [], text: '' };
      for (;;) {
        skipWs();
        if (src.startsWith('/>', i) || src[i] === '>') break;
        const attr = readName();
        skipWs();
        if (src[i] !== '=') throw new Error(`expected '=' after attribute ${attr} at offset ${i}`);
        i++;
        skipWs();
        const q = src[i];
        if (q !== '"' && q !== "'") throw new Error(`expected a quoted value for ${attr} at offset ${i}`);
        const end = src.indexOf(q, i + 1);
        if (end < 0) throw new Error(`unterminated attribute ${attr}`);
        const raw = src.slice(i + 1, end);
        if (raw.includes('<')) throw new Error(`'<' in attribute ${attr}`);
        if (attr in el.attributes) throw new Error(`duplicate attribute ${attr}`);
        el.attributes[attr] = decode(raw, i);
        i = end + 1;
      }
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) throw new Error(`second root element <${el.name}> at offset ${i}`);
      else root = el;
      if (src.startsWith('/>', i)) i += 2;
      else {
        i++;
        stack.push(el);
      }
    } else {
      const next = src.indexOf('<', i);
      const chunk = src.slice(i, next < 0 ? src.length : next);
      if (!stack.length) {
        if (chunk.trim()) throw new Error(`text outside the root element at offset ${i}`);
      } else stack[stack.length - 1].text += decode(chunk, i);
      i = next < 0 ? src.length : next;
    }
  }
  if (stack.length) throw new Error(`unclosed element <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
