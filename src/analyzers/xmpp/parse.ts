// XMPP (RFC 6120) is one XML document per direction, opened by <stream:stream> and carried as
// top-level elements (stanzas: message, presence, iq; and stream negotiation: features,
// starttls, SASL auth/challenge/response/success/failure). This is a bounded, incremental
// tokenizer for that stream, not a general XML parser: it yields start tags with their
// attributes, end tags and the text between them, and keeps no more than one unfinished tag or
// text run (MAX_TOKEN) of each direction. Pure apart from its own buffer.
import { decodeEntities } from '../wsd/xml.js';

/** Longest tag or text run read (a SASL blob or stanza text beyond this is dropped, counted). */
export const MAX_TOKEN = 16 * 1024;
/** Attributes kept per tag. */
const MAX_ATTRS = 16;

export interface XmlSink {
  start(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  end(name: string): void;
  text(text: string): void;
}

/** Parses a tag's inside (between '<' and '>', without them). */
export function parseTag(inner: string): { name: string; attrs: Record<string, string>; end: boolean; selfClosing: boolean } | null {
  let s = inner;
  let end = false;
  let selfClosing = false;
  if (s.startsWith('/')) {
    end = true;
    s = s.slice(1);
  }
  if (s.endsWith('/')) {
    selfClosing = true;
    s = s.slice(0, -1);
  }
  const m = /^([A-Za-z_][\w.:-]*)/.exec(s);
  if (m === null) return null;
  const attrs: Record<string, string> = {};
  const re = /([A-Za-z_][\w.:-]*)\s*=\s*(?:'([^']*)'|"([^"]*)")/g;
  let a: RegExpExecArray | null;
  let n = 0;
  re.lastIndex = m[1].length;
  while ((a = re.exec(s)) !== null && n < MAX_ATTRS) {
    attrs[a[1]] = decodeEntities(a[2] ?? a[3] ?? '');
    n++;
  }
  return { name: m[1], attrs, end, selfClosing };
}

/** One direction's tokenizer. `overflows` counts tokens dropped for length. */
export class XmlStream {
  private buf = '';
  overflows = 0;
  private skipping = false;

  constructor(private readonly sink: XmlSink) {}

  feed(text: string): void {
    let s = this.buf + text;
    this.buf = '';
    let i = 0;
    while (i < s.length) {
      if (this.skipping) {
        // Inside an over-long token: drop up to the next tag start.
        const lt = s.indexOf('<', i);
        if (lt < 0) return;
        this.skipping = false;
        i = lt;
      }
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        this.keep(s.slice(i));
        return;
      }
      if (lt > i) {
        const t = s.slice(i, lt);
        if (t.trim() !== '') this.sink.text(decodeEntities(t));
      }
      const gt = this.tagEnd(s, lt);
      if (gt < 0) {
        this.keep(s.slice(lt));
        return;
      }
      const inner = s.slice(lt + 1, gt).trim();
      i = gt + 1;
      if (inner.startsWith('?') || inner.startsWith('!')) continue;
      const t = parseTag(inner);
      if (t === null) continue;
      if (t.end) this.sink.end(t.name);
      else {
        this.sink.start(t.name, t.attrs, t.selfClosing);
        if (t.selfClosing) this.sink.end(t.name);
      }
    }
    s = '';
  }

  /** After lost bytes: drop the unfinished token and resume at the next tag. */
  reset(): void {
    this.buf = '';
    this.skipping = true;
  }

  /** Index of the '>' closing the tag opened at `lt` (quotes respected), or -1. */
  private tagEnd(s: string, lt: number): number {
    let q = '';
    for (let j = lt + 1; j < s.length; j++) {
      const c = s[j];
      if (q !== '') {
        if (c === q) q = '';
      } else if (c === '"' || c === "'") q = c;
      else if (c === '>') return j;
    }
    return -1;
  }

  private keep(rest: string): void {
    if (rest.length > MAX_TOKEN) {
      this.overflows++;
      this.skipping = true;
      this.buf = '';
    } else this.buf = rest;
  }
}
