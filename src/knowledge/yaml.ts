// A YAML subset reader, enough for endoflife.date front matter (YAML 1.2 §8 block collections):
// block mappings and sequences by indentation (a sequence may sit at its key's indentation),
// plain, single- and double-quoted scalars, literal and folded block scalars (| |- > >-),
// comments, and flow collections of scalars ([a, b], [], {}). Anchors, aliases, tags, multi-line
// plain scalars and complex keys are refused. Plain scalars stay strings (no number or date
// typing, so "8.10" stays "8.10"), except true/false and null/~. Every collection and entry
// keeps its line so validators can point at the entry they refuse.
import { malformed } from './errors.js';

export type YamlValue = string | boolean | null | YamlMap | YamlSeq;

export class YamlMap {
  readonly entries = new Map<string, YamlValue>();
  readonly lines = new Map<string, number>();
  constructor(readonly line: number) {}
  get(key: string): YamlValue | undefined {
    return this.entries.get(key);
  }
}

export class YamlSeq {
  readonly items: YamlValue[] = [];
  readonly lines: number[] = [];
  constructor(readonly line: number) {}
}

interface Line {
  no: number;
  indent: number;
  /** Content after the indentation (comments not yet removed). */
  text: string;
}

const MAX_DEPTH = 32;

class Parser {
  private readonly lines: Line[] = [];
  private pos = 0;

  constructor(
    text: string,
    private readonly file: string,
    firstLine: number,
  ) {
    const raw = text.split('\n');
    for (let i = 0; i < raw.length; i++) {
      const l = raw[i].replace(/\r$/, '');
      const m = /^( *)(.*)$/.exec(l)!;
      if (m[2].startsWith('\t')) throw malformed(file, { line: firstLine + i }, 'tab used for indentation');
      this.lines.push({ no: firstLine + i, indent: m[1].length, text: m[2] });
    }
  }

  private fail(line: number, detail: string): never {
    throw malformed(this.file, { line }, detail);
  }

  private static blank(l: Line): boolean {
    return l.text.length === 0 || l.text.startsWith('#');
  }

  /** Index of the next non-blank line at or after pos, or -1. */
  private peek(): Line | null {
    while (this.pos < this.lines.length && Parser.blank(this.lines[this.pos])) this.pos++;
    return this.pos < this.lines.length ? this.lines[this.pos] : null;
  }

  parseDocument(): YamlValue {
    const first = this.peek();
    if (first === null) return null;
    if (first.indent !== 0) this.fail(first.no, 'document must start at column 1');
    const v = this.block(0, 0);
    const rest = this.peek();
    if (rest !== null) this.fail(rest.no, 'unexpected indentation');
    return v;
  }

  private static isSeqItem(l: Line): boolean {
    return l.text === '-' || l.text.startsWith('- ');
  }

  private block(indent: number, depth: number): YamlValue {
    if (depth > MAX_DEPTH) this.fail(this.peek()?.no ?? 0, `nested deeper than ${MAX_DEPTH}`);
    const l = this.peek()!;
    return Parser.isSeqItem(l) ? this.seq(indent, depth) : this.map(indent, depth);
  }

  private seq(indent: number, depth: number): YamlSeq {
    const start = this.peek()!;
    const s = new YamlSeq(start.no);
    for (;;) {
      const l = this.peek();
      if (l === null || l.indent < indent) break;
      if (l.indent > indent) this.fail(l.no, 'unexpected indentation in a sequence');
      if (!Parser.isSeqItem(l)) break;
      const after = l.text.slice(1);
      const pad = after.length - after.trimStart().length;
      const content = after.trimStart();
      s.lines.push(l.no);
      if (content.length === 0 || content.startsWith('#')) {
        this.pos++;
        const next = this.peek();
        s.items.push(next !== null && next.indent > indent ? this.block(next.indent, depth + 1) : null);
      } else if (this.keyOf(content, l.no) !== null) {
        // "- key: value": the item is a mapping whose keys sit where this key starts.
        this.lines[this.pos] = { no: l.no, indent: indent + 1 + pad, text: content };
        s.items.push(this.map(indent + 1 + pad, depth + 1));
      } else {
        this.pos++;
        s.items.push(this.scalarOrBlock(content, l, indent));
      }
    }
    return s;
  }

  /** Splits "key: rest" / "key:" into key and rest, or null when the text is no mapping entry. */
  private keyOf(text: string, no: number): { key: string; rest: string } | null {
    if (text.startsWith('"') || text.startsWith("'")) {
      const { value, end } = this.quoted(text, no);
      const after = text.slice(end);
      const m = /^\s*:(?:\s+(.*)|$)/.exec(after);
      return m === null ? null : { key: value, rest: m[1] ?? '' };
    }
    const m = /^([^\s#:[\]{},&*!|>'"%@`-][^:]*?|-[^\s:][^:]*?)\s*:(?:\s+(.*)|$)/.exec(text);
    if (m === null) return null;
    return { key: m[1], rest: m[2] ?? '' };
  }

  private map(indent: number, depth: number): YamlMap {
    const start = this.peek()!;
    const m = new YamlMap(start.no);
    for (;;) {
      const l = this.peek();
      if (l === null || l.indent < indent) break;
      if (l.indent > indent) this.fail(l.no, 'unexpected indentation in a mapping');
      if (Parser.isSeqItem(l)) break;
      const kv = this.keyOf(l.text, l.no);
      if (kv === null) this.fail(l.no, `expected "key: value", got ${JSON.stringify(l.text.slice(0, 40))}`);
      if (m.entries.has(kv.key)) this.fail(l.no, `key ${JSON.stringify(kv.key)} repeated (first on line ${m.lines.get(kv.key)})`);
      this.pos++;
      m.lines.set(kv.key, l.no);
      const rest = stripComment(kv.rest);
      if (rest.length === 0) {
        const next = this.peek();
        if (next !== null && next.indent > indent) m.entries.set(kv.key, this.block(next.indent, depth + 1));
        else if (next !== null && next.indent === indent && Parser.isSeqItem(next)) m.entries.set(kv.key, this.seq(indent, depth + 1));
        else m.entries.set(kv.key, null);
      } else {
        m.entries.set(kv.key, this.scalarOrBlock(kv.rest, l, indent));
      }
    }
    return m;
  }

  private scalarOrBlock(text: string, l: Line, indent: number): YamlValue {
    const t = stripComment(text);
    const bs = /^([|>])([+-]?)$/.exec(t);
    if (bs !== null) return this.blockScalar(bs[1] === '>', bs[2], indent);
    return this.scalar(text, l.no);
  }

  /** Literal (|) or folded (>) block scalar: the more-indented lines that follow. */
  private blockScalar(folded: boolean, chomp: string, indent: number): string {
    const body: string[] = [];
    let blockIndent = -1;
    while (this.pos < this.lines.length) {
      const l = this.lines[this.pos];
      if (l.text.length === 0) {
        body.push('');
        this.pos++;
        continue;
      }
      if (l.indent <= indent) break;
      if (blockIndent < 0) blockIndent = l.indent;
      if (l.indent < blockIndent) this.fail(l.no, 'block scalar line less indented than its first line');
      body.push(' '.repeat(l.indent - blockIndent) + l.text);
      this.pos++;
    }
    while (body.length > 0 && body[body.length - 1] === '' && chomp !== '+') body.pop();
    const text = folded ? body.join('\n').replace(/([^\n])\n(?=[^\n ])/g, '$1 ') : body.join('\n');
    return chomp === '-' ? text : `${text}\n`;
  }

  private quoted(text: string, no: number): { value: string; end: number } {
    const q = text[0];
    let out = '';
    for (let i = 1; i < text.length; i++) {
      const c = text[i];
      if (q === "'") {
        if (c === "'") {
          if (text[i + 1] === "'") {
            out += "'";
            i++;
            continue;
          }
          return { value: out, end: i + 1 };
        }
        out += c;
        continue;
      }
      if (c === '"') return { value: out, end: i + 1 };
      if (c === '\\') {
        const e = text[++i];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ' };
        if (e in simple) out += simple[e];
        else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 1, i + 5))) {
          out += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
          i += 4;
        } else this.fail(no, `unknown escape \\${e ?? ''} in a double-quoted string`);
        continue;
      }
      out += c;
    }
    return this.fail(no, 'quoted string is not closed on its line');
  }

  private scalar(text: string, no: number): YamlValue {
    const t = text.trim();
    if (t.startsWith('"') || t.startsWith("'")) {
      const { value, end } = this.quoted(t, no);
      const after = t.slice(end).trim();
      if (after.length > 0 && !after.startsWith('#')) this.fail(no, `text after a quoted string: ${JSON.stringify(after)}`);
      return value;
    }
    const v = stripComment(t);
    if (v.startsWith('[') || v.startsWith('{')) return this.flow(v, no);
    if (/^[&*!|>%@`]/.test(v)) this.fail(no, `unsupported YAML construct ${JSON.stringify(v.slice(0, 20))}`);
    if (v === 'true') return true;
    if (v === 'false') return false;
    if (v === 'null' || v === '~' || v === '') return null;
    return v;
  }

  /** Flow sequence of scalars on one line, or an empty flow mapping. */
  private flow(v: string, no: number): YamlValue {
    if (v === '{}') return new YamlMap(no);
    if (!v.startsWith('[') || !v.endsWith(']')) this.fail(no, 'only one-line flow sequences of scalars are supported');
    const s = new YamlSeq(no);
    const inner = v.slice(1, -1).trim();
    if (inner.length === 0) return s;
    for (const part of inner.split(',')) {
      const p = part.trim();
      if (p.length === 0 || /^[[\]{}]/.test(p)) this.fail(no, 'only one-line flow sequences of scalars are supported');
      s.items.push(this.scalar(p, no));
      s.lines.push(no);
    }
    return s;
  }
}

/** Removes a trailing " # comment" from a plain scalar. */
function stripComment(t: string): string {
  if (t.startsWith('#')) return '';
  const i = t.search(/\s#/);
  return (i < 0 ? t : t.slice(0, i)).trim();
}

/** Parses YAML text; `firstLine` is the file line the text starts on (for front matter). */
export function parseYaml(text: string, file: string, firstLine = 1): YamlValue {
  return new Parser(text, file, firstLine).parseDocument();
}

/** Splits Markdown with YAML front matter ("---" lines) into the YAML and its first line. */
export function frontMatter(text: string, file: string): { yaml: string; firstLine: number } {
  const lines = text.split('\n');
  if (lines[0].replace(/\r$/, '') !== '---') throw malformed(file, { line: 1 }, 'no YAML front matter: the file must start with a "---" line');
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].replace(/\r$/, '') === '---') return { yaml: lines.slice(1, i).join('\n'), firstLine: 2 };
  }
  throw malformed(file, { line: 1 }, 'front matter is never closed by a "---" line');
}
