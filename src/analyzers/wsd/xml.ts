// A small, bounded XML scanner for SOAP envelopes (XML 1.0 §2–§4, Namespaces in XML 1.0 §3–§6).
// Untrusted input never becomes a DOM: the scanner makes one flat, capped list of elements, each
// with its namespace URI (resolved from the xmlns declarations in scope), its parent, its own
// prefix bindings and at most MAX_TEXT characters of its direct text. A DOCTYPE is refused
// (SOAP 1.2 Part 1 §5: "a SOAP message MUST NOT contain a Document Type Declaration"), so no
// entity expansion can happen; only the five predefined entities and character references are
// decoded. Pure: no state between calls, never throws.

/** Characters of one message scanned at most (a SOAP-over-UDP datagram is at most 64 KiB). */
export const MAX_XML_CHARS = 64 * 1024;
/** Elements kept per message; a discovery message has a few dozen, DPWS metadata a hundred. */
export const MAX_ELEMENTS = 1024;
/** Nesting depth followed at most. */
export const MAX_DEPTH = 32;
/** Attributes read per element. */
export const MAX_ATTRS = 32;
/** Direct text kept per element. */
export const MAX_TEXT = 2048;

const XMLNS = 'xmlns';
/** The xml: prefix is bound by definition (Namespaces in XML §3). */
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface XmlElement {
  /** The prefix as written ('' for none). */
  prefix: string;
  local: string;
  /** Namespace URI the prefix is bound to; '' when unbound. */
  ns: string;
  /** Index of the parent element, -1 for the root. */
  parent: number;
  depth: number;
  /** Attributes other than namespace declarations, as written (qualified name → value). */
  attrs: Map<string, string> | null;
  /** Prefix bindings this element declares ('' for the default namespace). */
  bindings: Map<string, string> | null;
  /** The element's direct character data, entity-decoded, capped at MAX_TEXT. */
  text: string;
}

export interface XmlDoc {
  elements: XmlElement[];
  /** The document ended (or was cut) before every element closed, or a cap was reached. */
  truncated: boolean;
}

export type XmlStatus = 'bad';

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** A name character as far as this scanner cares: anything that ends no name. */
function endsName(c: number): boolean {
  return isSpace(c) || c === 0x2f /* / */ || c === 0x3e /* > */ || c === 0x3d /* = */;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references of a text or attribute value. */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (m, e: string) => {
    if (e.charCodeAt(0) === 0x23) {
      const cp = e.charCodeAt(1) === 0x78 ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/** The namespace bound to `prefix` in the scope of element `i` ('' when unbound). */
export function resolvePrefix(els: readonly XmlElement[], i: number, prefix: string): string {
  if (prefix === 'xml') return XML_NS;
  let guard = 0;
  for (let k = i; k >= 0 && guard <= MAX_DEPTH; k = els[k].parent, guard++) {
    const v = els[k].bindings?.get(prefix);
    if (v !== undefined) return v;
  }
  return '';
}

function splitQName(q: string): [string, string] {
  const c = q.indexOf(':');
  return c < 0 ? ['', q] : [q.slice(0, c), q.slice(c + 1)];
}

/**
 * Scans `s` into a flat element list. 'bad' for what no XML parser would accept (a DOCTYPE, a
 * mismatched end tag, a broken tag); a document cut short returns what was read, `truncated`.
 */
export function scanXml(input: string): XmlDoc | XmlStatus {
  const s = input.length > MAX_XML_CHARS ? input.slice(0, MAX_XML_CHARS) : input;
  const n = s.length;
  const els: XmlElement[] = [];
  /** Indices of the open elements, innermost last. */
  const open: number[] = [];
  let truncated = input.length > n;
  let skipped = 0;
  let i = 0;
  while (i < n) {
    const lt = s.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i && open.length > 0 && skipped === 0) {
      const top = els[open[open.length - 1]];
      if (top.text.length < MAX_TEXT) top.text += decodeEntities(s.slice(i, Math.min(textEnd, i + MAX_TEXT - top.text.length)));
    }
    if (lt < 0) break;
    i = lt + 1;
    if (i >= n) {
      truncated = true;
      break;
    }
    const c = s.charCodeAt(i);
    if (c === 0x3f /* ? */) {
      const e = s.indexOf('?>', i);
      if (e < 0) return { elements: els, truncated: true };
      i = e + 2;
      continue;
    }
    if (c === 0x21 /* ! */) {
      if (s.startsWith('!--', i)) {
        const e = s.indexOf('-->', i + 3);
        if (e < 0) return { elements: els, truncated: true };
        i = e + 3;
      } else if (s.startsWith('![CDATA[', i)) {
        const e = s.indexOf(']]>', i + 8);
        const stop = e < 0 ? n : e;
        if (open.length > 0 && skipped === 0) {
          const top = els[open[open.length - 1]];
          if (top.text.length < MAX_TEXT) top.text += s.slice(i + 8, Math.min(stop, i + 8 + MAX_TEXT - top.text.length));
        }
        if (e < 0) return { elements: els, truncated: true };
        i = e + 3;
      } else return 'bad';
      continue;
    }
    if (c === 0x2f /* / */) {
      const e = s.indexOf('>', i);
      if (e < 0) return { elements: els, truncated: true };
      const name = s.slice(i + 1, e).trim();
      i = e + 1;
      if (skipped > 0) {
        skipped--;
        continue;
      }
      const top = open.pop();
      if (top === undefined) return 'bad';
      const el = els[top];
      if (name !== (el.prefix === '' ? el.local : `${el.prefix}:${el.local}`)) return 'bad';
      continue;
    }
    // A start tag: name, attributes, then '>' or '/>'.
    let p = i;
    while (p < n && !endsName(s.charCodeAt(p))) p++;
    if (p >= n) return { elements: els, truncated: true };
    const qname = s.slice(i, p);
    if (qname === '' || qname.indexOf('<') >= 0) return 'bad';
    let attrs: Map<string, string> | null = null;
    let bindings: Map<string, string> | null = null;
    let empty = false;
    let nattrs = 0;
    for (;;) {
      while (p < n && isSpace(s.charCodeAt(p))) p++;
      if (p >= n) return { elements: els, truncated: true };
      const ch = s.charCodeAt(p);
      if (ch === 0x3e) {
        p++;
        break;
      }
      if (ch === 0x2f) {
        if (p + 1 >= n) return { elements: els, truncated: true };
        if (s.charCodeAt(p + 1) !== 0x3e) return 'bad';
        empty = true;
        p += 2;
        break;
      }
      const a0 = p;
      while (p < n && !endsName(s.charCodeAt(p))) p++;
      const aname = s.slice(a0, p);
      while (p < n && isSpace(s.charCodeAt(p))) p++;
      if (p >= n) return { elements: els, truncated: true };
      if (aname === '' || s.charCodeAt(p) !== 0x3d) return 'bad';
      p++;
      while (p < n && isSpace(s.charCodeAt(p))) p++;
      if (p >= n) return { elements: els, truncated: true };
      const q = s.charCodeAt(p);
      if (q !== 0x22 && q !== 0x27) return 'bad';
      const ve = s.indexOf(q === 0x22 ? '"' : "'", p + 1);
      if (ve < 0) return { elements: els, truncated: true };
      const raw = s.slice(p + 1, ve);
      if (raw.indexOf('<') >= 0) return 'bad';
      p = ve + 1;
      if (++nattrs > MAX_ATTRS) continue;
      if (aname === XMLNS || aname.startsWith('xmlns:')) {
        bindings ??= new Map();
        bindings.set(aname === XMLNS ? '' : aname.slice(6), decodeEntities(raw));
      } else {
        attrs ??= new Map();
        attrs.set(aname, decodeEntities(raw).slice(0, MAX_TEXT));
      }
    }
    i = p;
    // Past the caps the document's structure is still followed, its elements no longer kept.
    if (skipped > 0 || open.length >= MAX_DEPTH || els.length >= MAX_ELEMENTS) {
      truncated = true;
      if (!empty) skipped++;
      continue;
    }
    const [prefix, local] = splitQName(qname);
    const parent = open.length > 0 ? open[open.length - 1] : -1;
    const el: XmlElement = { prefix, local, ns: '', parent, depth: open.length, attrs, bindings, text: '' };
    els.push(el);
    el.ns = resolvePrefix(els, els.length - 1, prefix);
    if (!empty) open.push(els.length - 1);
  }
  if (open.length > 0 || skipped > 0) truncated = true;
  return { elements: els, truncated };
}

/** Indices of the children of element `i` (the list is in document order, so they follow it). */
export function children(els: readonly XmlElement[], i: number): number[] {
  const out: number[] = [];
  const d = els[i].depth;
  for (let k = i + 1; k < els.length && els[k].depth > d; k++) if (els[k].parent === i) out.push(k);
  return out;
}

/** The first child of `i` whose local name is `local` and whose namespace is one of `nss`, or -1. */
export function child(els: readonly XmlElement[], i: number, nss: readonly string[], local: string): number {
  const d = els[i].depth;
  for (let k = i + 1; k < els.length && els[k].depth > d; k++) {
    const e = els[k];
    if (e.parent === i && e.local === local && nss.includes(e.ns)) return k;
  }
  return -1;
}

/** Descendants of `i` (any depth) with that namespace and local name, at most `max`. */
export function descendants(els: readonly XmlElement[], i: number, nss: readonly string[], local: string, max: number): number[] {
  const out: number[] = [];
  const d = els[i].depth;
  for (let k = i + 1; k < els.length && els[k].depth > d && out.length < max; k++) {
    const e = els[k];
    if (e.local === local && nss.includes(e.ns)) out.push(k);
  }
  return out;
}

/** Resolves a QName written in element `i`'s content ("dn:NetworkVideoTransmitter") to Clark notation "{uri}local"; null when its prefix is unbound. */
export function clarkName(els: readonly XmlElement[], i: number, qname: string): string | null {
  const [prefix, local] = splitQName(qname);
  if (local === '') return null;
  const ns = resolvePrefix(els, i, prefix);
  if (ns === '' && prefix !== '') return null;
  return `{${ns}}${local}`;
}
