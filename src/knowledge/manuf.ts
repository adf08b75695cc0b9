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

const OCTET = /^[0-9A-Fa-f]{2}$/;
const OCTET_BITS = 8;
const MIN_OCTETS = 3;
const MAX_OCTETS = 6;
const MAX_SHORT_NAME = 64;

export class ManufIndex {
  private readonly byBits = new Map<number, Map<number, ManufEntry>>();
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
    m.set(prefix, e);
    this.records++;
  }

  /** Longest listed prefix of a 48-bit address. */
  lookup(mac: number): ManufEntry | null {
    for (const bits of this.lengths) {
      const e = this.byBits.get(bits)!.get(Math.floor(mac / 2 ** (MAC_BITS - bits)));
      if (e !== undefined) return e;
    }
    return null;
  }

  /** The entry for exactly this prefix, if listed. */
  exact(prefix: number, bits: number): ManufEntry | null {
    return this.byBits.get(bits)?.get(prefix) ?? null;
  }
}

/** Parses manuf text into an index; throws a KnowledgeError naming the line on a malformed entry. */
export function parseManuf(text: string, file: string): ManufIndex {
  const idx = new ManufIndex();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length === 0 || line.startsWith('#') || line.trim().length === 0) continue;
    const lineNo = i + 1;
    const cols = line.split('\t').filter((c) => c.length > 0);
    const addr = cols[0];
    const names = cols.slice(1).filter((c) => !c.startsWith('#'));
    if (names.length === 0) throw malformed(file, { line: lineNo, record: addr }, 'no vendor name after the address');
    const short = names[0].trim();
    if (short.length === 0 || short.length > MAX_SHORT_NAME) {
      throw malformed(file, { line: lineNo, record: addr }, `short name must be 1..${MAX_SHORT_NAME} characters`);
    }
    const long = names.length > 1 ? names[1].trim() : '';
    const slash = addr.indexOf('/');
    const octetText = slash < 0 ? addr : addr.slice(0, slash);
    const octets = octetText.split(/[:.-]/);
    if (octets.length < MIN_OCTETS || octets.length > MAX_OCTETS || !octets.every((o) => OCTET.test(o))) {
      throw malformed(file, { line: lineNo, record: addr }, 'address must be 3 to 6 hex octets separated by ":", "-" or "."');
    }
    let bits = octets.length * OCTET_BITS;
    if (slash >= 0) {
      const maskText = addr.slice(slash + 1);
      const mask = /^\d+$/.test(maskText) ? Number(maskText) : NaN;
      if (!(mask >= 1 && mask <= bits)) {
        throw malformed(file, { line: lineNo, record: addr }, `mask must be 1..${bits} for ${octets.length} octets`);
      }
      bits = mask;
    }
    let value = 0;
    for (const o of octets) value = value * 256 + parseInt(o, 16);
    value *= 2 ** ((MAX_OCTETS - octets.length) * OCTET_BITS);
    const prefix = Math.floor(value / 2 ** (MAC_BITS - bits));
    idx.add(prefix, long.length > 0 ? { short, long, bits } : { short, bits });
  }
  return idx;
}

export function loadManuf(dir: string): ManufIndex {
  const { text, file } = readFeedText(dir, MANUF_FILE);
  return parseManuf(text, file);
}
