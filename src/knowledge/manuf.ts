// Wireshark's `manuf` file: one line per prefix, "<address>[/<mask>]<TAB><short name>[<TAB><long
// name>][<TAB># comment]". Addresses are 3 octets (a 24-bit OUI) or 6 octets with a mask, e.g.
// "00:1B:C5:00:00:00/36" for an MA-S block; octets are separated by ':', '-' or '.' (the format
// notes in the file's own header). Indexed into one Map per mask length.
import { malformed } from './errors.js';
import { readFeedText } from './files.js';
import { MAC_BITS } from './ieee.js';

export const MANUF_FILE = 'manuf';

export interface ManufEntry {
  /** Wireshark's short name (at most 8 characters in Wireshark 4.0, but not enforced). */
  short: string;
  /** Full organisation name when the line has one. */
  long?: string;
  bits: number;
}

/** Characters per octet in the address text, separator included. */
const OCTET_TEXT = 3;
const OCTET_BITS = 8;
const MIN_OCTETS = 3;
const MAX_OCTETS = 6;
const MAX_SHORT_NAME = 64;

export class ManufIndex {
  /**
   * Mask length → (prefix → short name, then a tab and the long name when there is one). Plain
   * strings rather than an object per line, for the knowledge base cache (see IeeeRegistries).
   * A tab cannot occur in either name: it separates the file's columns.
   */
  private readonly byBits = new Map<number, Map<number, string>>();
  private lengths: number[] = [];
  records = 0;
  duplicates = 0;

  add(prefix: number, e: ManufEntry): void {
    let m = this.byBits.get(e.bits);
    if (m === undefined) {
      m = new Map();
      this.byBits.set(e.bits, m);
      this.lengths = [...this.byBits.keys()].sort((a, b) => b - a);
    }
    if (m.has(prefix)) {
      this.duplicates++;
      return;
    }
    m.set(prefix, e.long !== undefined ? `${e.short}\t${e.long}` : e.short);
    this.records++;
  }

  /** Longest listed prefix of a 48-bit address. */
  lookup(mac: number): ManufEntry | null {
    for (const bits of this.lengths) {
      const v = this.byBits.get(bits)!.get(Math.floor(mac / 2 ** (MAC_BITS - bits)));
      if (v !== undefined) return manufEntryOf(v, bits);
    }
    return null;
  }

  /** The entry for exactly this prefix, if listed. */
  exact(prefix: number, bits: number): ManufEntry | null {
    const v = this.byBits.get(bits)?.get(prefix);
    return v === undefined ? null : manufEntryOf(v, bits);
  }
}

function manufEntryOf(v: string, bits: number): ManufEntry {
  const tab = v.indexOf('\t');
  return tab < 0 ? { short: v, bits } : { short: v.slice(0, tab), long: v.slice(tab + 1), bits };
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** "00:1B:C5" or "00-1b-c5-00-10-00" → the address as a 48-bit number, or null. */
function parseOctets(t: string): number | null {
  const n = (t.length + 1) / OCTET_TEXT;
  if (!Number.isInteger(n) || n < MIN_OCTETS || n > MAX_OCTETS) return null;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const p = k * OCTET_TEXT;
    if (k > 0) {
      const sep = t.charCodeAt(p - 1);
      if (sep !== 0x3a && sep !== 0x2d && sep !== 0x2e) return null;
    }
    const hi = hexDigit(t.charCodeAt(p));
    const lo = hexDigit(t.charCodeAt(p + 1));
    if (hi < 0 || lo < 0) return null;
    v = v * 256 + hi * 16 + lo;
  }
  return v * 2 ** ((MAX_OCTETS - n) * OCTET_BITS);
}

/** Parses manuf text into an index; throws a KnowledgeError naming the line on a malformed entry. */
export function parseManuf(text: string, file: string): ManufIndex {
  // Walks the text by positions (no per-line or per-column arrays): the file has 52,000 lines
  // and is read on every start.
  const idx = new ManufIndex();
  const n = text.length;
  let lineNo = 0;
  for (let i = 0; i < n; ) {
    lineNo++;
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = n;
    const start = i;
    i = eol + 1;
    const end = eol > start && text.charCodeAt(eol - 1) === 0x0d ? eol - 1 : eol;
    const c0 = text.charCodeAt(start);
    if (end === start || c0 === 0x23) continue;
    // A blank line (only white space): the check is only needed when it starts with some.
    if ((c0 <= 0x20 || c0 >= 0x7f) && text.slice(start, end).trim().length === 0) continue;
    let tab = text.indexOf('\t', start);
    if (tab < 0 || tab > end) tab = end;
    // Columns after the address: empty ones are skipped, a '#' one ends the line.
    let short = '';
    let long = '';
    for (let c = tab; c < end; ) {
      const from = c + 1;
      let next = text.indexOf('\t', from);
      if (next < 0 || next > end) next = end;
      c = next;
      if (next === from) continue;
      if (text.charCodeAt(from) === 0x23) break;
      if (short.length === 0) short = text.slice(from, next).trim();
      else if (long.length === 0) long = text.slice(from, next).trim();
    }
    const addr = text.slice(start, tab);
    if (short.length === 0) throw malformed(file, { line: lineNo, record: addr }, 'no vendor name after the address');
    if (short.length > MAX_SHORT_NAME) throw malformed(file, { line: lineNo, record: addr }, `short name must be 1..${MAX_SHORT_NAME} characters`);
    const slash = addr.indexOf('/');
    const octetText = slash < 0 ? addr : addr.slice(0, slash);
    const value48 = parseOctets(octetText);
    if (value48 === null) {
      throw malformed(file, { line: lineNo, record: addr }, 'address must be 3 to 6 hex octets separated by ":", "-" or "."');
    }
    const octets = (octetText.length + 1) / OCTET_TEXT;
    let bits = octets * OCTET_BITS;
    if (slash >= 0) {
      const maskText = addr.slice(slash + 1);
      const mask = /^\d+$/.test(maskText) ? Number(maskText) : NaN;
      if (!(mask >= 1 && mask <= bits)) {
        throw malformed(file, { line: lineNo, record: addr }, `mask must be 1..${bits} for ${octets} octets`);
      }
      bits = mask;
    }
    const prefix = Math.floor(value48 / 2 ** (MAC_BITS - bits));
    idx.add(prefix, long.length > 0 ? { short, long, bits } : { short, bits });
  }
  return idx;
}

export function loadManuf(dir: string): ManufIndex {
  const { text, file } = readFeedText(dir, MANUF_FILE);
  return parseManuf(text, file);
}
