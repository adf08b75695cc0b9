// Small XML 1.0 reader for attribute-style data files (Satori's fingerprints): elements,
// attributes in single or double quotes, the five predefined entities and character references
// (XML 1.0 §2.4, §3.1, §4.1, §4.6), comments, CDATA, processing instructions and the XML
// declaration. No DTDs, namespaces or external entities: a DOCTYPE is refused, which also keeps
// entity-expansion tricks out. Every element records its line; errors name file and line.
import { malformed } from './errors.js';

export interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: XmlElement[];
  /** Character data directly inside the element, entities decoded. */
  text: string;
  line: number;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;
}
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** Deepest element nesting accepted; fingerprint files use 5. */
const MAX_DEPTH = 64;

class Reader {
  private i = 0;
  private line = 1;

  constructor(
    private readonly s: string,
    private readonly file: string,
  ) {}

  private fail(detail: string, line = this.line): never {
    throw malformed(this.file, { line }, detail);
  }

  /** Advances to `to`, counting newlines. */
  private advance(to: number): void {
    for (let k = this.i; k < to; k++) if (this.s.charCodeAt(k) === 0x0a) this.line++;
    this.i = to;
  }

  private skipSpace(): void {
    const s = this.s;
    let k = this.i;
    while (k < s.length && isSpace(s.charCodeAt(k))) {
      if (s.charCodeAt(k) === 0x0a) this.line++;
      k++;
    }
    this.i = k;
  }

  private readName(): string {
    const s = this.s;
    const start = this.i;
    if (!isNameStart(s.charCodeAt(start))) this.fail(`expected a name at ${JSON.stringify(s.slice(start, start + 10))}`);
    let k = start + 1;
    while (k < s.length && isNameChar(s.charCodeAt(k))) k++;
    this.i = k;
    return s.slice(start, k);
  }

  private decode(raw: string, line: number): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&\s]*);|&/g, (m, ref: string | undefined) => {
      if (ref === undefined) this.fail("'&' that starts no entity reference", line);
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || !/^#(x[0-9A-Fa-f]+|[0-9]+)$/.test(ref)) this.fail(`bad character reference ${m}`, line);
        return String.fromCodePoint(code);
      }
      const v = PREDEFINED[ref];
      if (v === undefined) this.fail(`unknown entity ${m}`, line);
      return v;
    });
  }

  /** Skips the prolog and misc items (declaration, PIs, comments) before or after the root. */
  private skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.s.startsWith('<?', this.i)) {
        const end = this.s.indexOf('?>', this.i);
        if (end < 0) this.fail('unterminated processing instruction');
        this.advance(end + 2);
      } else if (this.s.startsWith('<!--', this.i)) {
        const end = this.s.indexOf('-->', this.i + 4);
        if (end < 0) this.fail('unterminated comment');
        this.advance(end + 3);
      } else if (this.s.startsWith('<!DOCTYPE', this.i)) {
        this.fail('DOCTYPE declarations are not accepted');
      } else {
        return;
      }
    }
  }

  parse(): XmlElement {
    this.skipMisc();
    if (this.s[this.i] !== '<') this.fail('no root element');
    const root = this.element(0);
    this.skipMisc();
    if (this.i < this.s.length) this.fail('content after the root element');
    return root;
  }

  private element(depth: number): XmlElement {
    if (depth > MAX_DEPTH) this.fail(`elements nested deeper than ${MAX_DEPTH}`);
    const line = this.line;
    this.advance(this.i + 1);
    const name = this.readName();
    const el: XmlElement = { name, attrs: new Map(), children: [], text: '', line };
    for (;;) {
      const before = this.i;
      this.skipSpace();
      const c = this.s[this.i];
      if (c === undefined) this.fail(`unterminated start tag <${name}>`, line);
      if (c === '/') {
        if (this.s[this.i + 1] !== '>') this.fail(`expected '/>' in <${name}>`);
        this.advance(this.i + 2);
        return el;
      }
      if (c === '>') {
        this.advance(this.i + 1);
        break;
      }
      if (this.i === before) this.fail(`attributes of <${name}> must be separated by white space`);
      const attrLine = this.line;
      const attr = this.readName();
      this.skipSpace();
      if (this.s[this.i] !== '=') this.fail(`attribute ${attr} of <${name}> has no value`);
      this.advance(this.i + 1);
      this.skipSpace();
      const q = this.s[this.i];
      if (q !== '"' && q !== "'") this.fail(`value of attribute ${attr} must be quoted`);
      const end = this.s.indexOf(q, this.i + 1);
      if (end < 0) this.fail(`value of attribute ${attr} is never closed`, attrLine);
      const raw = this.s.slice(this.i + 1, end);
      if (raw.includes('<')) this.fail(`'<' in the value of attribute ${attr}`, attrLine);
      if (el.attrs.has(attr)) this.fail(`attribute ${attr} repeated in <${name}>`, attrLine);
      el.attrs.set(attr, this.decode(raw, attrLine));
      this.advance(end + 1);
    }
    // Content: text, child elements, comments, CDATA, until the matching end tag.
    let text = '';
    for (;;) {
      const lt = this.s.indexOf('<', this.i);
      if (lt < 0) this.fail(`<${name}> is never closed`, line);
      if (lt > this.i) {
        const tline = this.line;
        text += this.decode(this.s.slice(this.i, lt), tline);
        this.advance(lt);
      }
      if (this.s.startsWith('</', this.i)) {
        this.advance(this.i + 2);
        const endName = this.readName();
        this.skipSpace();
        if (this.s[this.i] !== '>') this.fail(`malformed end tag </${endName}>`);
        if (endName !== name) this.fail(`end tag </${endName}> does not close <${name}> from line ${line}`);
        this.advance(this.i + 1);
        el.text = text;
        return el;
      }
      if (this.s.startsWith('<!--', this.i)) {
        const end = this.s.indexOf('-->', this.i + 4);
        if (end < 0) this.fail('unterminated comment');
        this.advance(end + 3);
      } else if (this.s.startsWith('<![CDATA[', this.i)) {
        const end = this.s.indexOf(']]>', this.i);
        if (end < 0) this.fail('unterminated CDATA section');
        text += this.s.slice(this.i + 9, end);
        this.advance(end + 3);
      } else if (this.s.startsWith('<?', this.i)) {
        const end = this.s.indexOf('?>', this.i);
        if (end < 0) this.fail('unterminated processing instruction');
        this.advance(end + 2);
      } else {
        el.children.push(this.element(depth + 1));
      }
    }
  }
}

/** Parses an XML document (a leading byte-order mark is ignored). */
export function parseXml(text: string, file: string): XmlElement {
  return new Reader(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file).parse();
}
