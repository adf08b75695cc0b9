// IEEE Registration Authority registries in their official CSV format
// (https://standards-oui.ieee.org/): MA-L (oui.csv, 24-bit), MA-M (mam.csv, 28-bit),
// MA-S (oui36.csv, 36-bit) and IAB (iab.csv, 36-bit, the MA-S predecessor).
// Each registry is indexed into a Map from the assignment (the top bits of a MAC) to the
// organisation, so a lookup is one Map probe per prefix length.
import { parseCsv } from './csv.js';
import { malformed } from './errors.js';
import { readFeedText } from './files.js';

export type Registry = 'MA-L' | 'MA-M' | 'MA-S' | 'IAB';

export interface OrgEntry {
  registry: Registry;
  /** Organisation name as registered (trimmed). */
  name: string;
  /** Prefix length in bits: 24, 28 or 36. */
  bits: number;
}

interface RegistryFile {
  file: string;
  registry: Registry;
  /** Hex digits in the Assignment column. */
  digits: number;
}

/** The four published files and the shape of their Assignment column. */
export const IEEE_FILES: readonly RegistryFile[] = [
  { file: 'oui.csv', registry: 'MA-L', digits: 6 },
  { file: 'mam.csv', registry: 'MA-M', digits: 7 },
  { file: 'oui36.csv', registry: 'MA-S', digits: 9 },
  { file: 'iab.csv', registry: 'IAB', digits: 9 },
];

const HEADER = ['Registry', 'Assignment', 'Organization Name', 'Organization Address'];
const HEX = /^[0-9A-Fa-f]+$/;
const BITS_PER_HEX_DIGIT = 4;
export const MAC_BITS = 48;

export interface IeeeStats {
  records: Record<Registry, number>;
  /** Assignments listed twice in one file (the IEEE file really has some); the first is kept. */
  duplicates: number;
}

/** One character per registry, kept in front of each stored name (see IeeeRegistries). */
const REGISTRY_CODE: Record<Registry, string> = { 'MA-L': 'L', 'MA-M': 'M', 'MA-S': 'S', IAB: 'I' };
const CODE_REGISTRY: Record<string, Registry> = { L: 'MA-L', M: 'MA-M', S: 'MA-S', I: 'IAB' };

export class IeeeRegistries {
  /**
   * Prefix length in bits → (prefix value → registry code + organisation name). Plain strings,
   * not an object per assignment: the knowledge base cache (cache.ts) reads 50,000 of them back
   * on every start, and strings come back several times faster than objects.
   */
  private readonly byBits = new Map<number, Map<number, string>>();
  /** Prefix lengths present, longest first. */
  private lengths: number[] = [];
  readonly stats: IeeeStats = { records: { 'MA-L': 0, 'MA-M': 0, 'MA-S': 0, IAB: 0 }, duplicates: 0 };

  add(prefix: number, entry: OrgEntry): boolean {
    let m = this.byBits.get(entry.bits);
    if (m === undefined) {
      m = new Map();
      this.byBits.set(entry.bits, m);
      this.lengths = [...this.byBits.keys()].sort((a, b) => b - a);
    }
    if (m.has(prefix)) {
      this.stats.duplicates++;
      return false;
    }
    m.set(prefix, REGISTRY_CODE[entry.registry] + entry.name);
    this.stats.records[entry.registry]++;
    return true;
  }

  /** Longest registered prefix of a 48-bit address (no special handling of I/G or U/L bits). */
  lookup(mac: number): OrgEntry | null {
    for (const bits of this.lengths) {
      const v = this.byBits.get(bits)!.get(Math.floor(mac / 2 ** (MAC_BITS - bits)));
      if (v !== undefined) return entryOf(v, bits);
    }
    return null;
  }

  /** The entry registered for exactly this prefix, if any. */
  exact(prefix: number, bits: number): OrgEntry | null {
    const v = this.byBits.get(bits)?.get(prefix);
    return v === undefined ? null : entryOf(v, bits);
  }
}

function entryOf(v: string, bits: number): OrgEntry {
  return { registry: CODE_REGISTRY[v[0]], name: v.slice(1), bits };
}

/** Parses one registry file's text into `into`; throws a KnowledgeError on the first bad record. */
export function parseIeeeCsv(text: string, file: string, spec: RegistryFile, into: IeeeRegistries): void {
  const records = parseCsv(text, file);
  if (records.length === 0) throw malformed(file, { line: 1 }, 'file is empty; expected the IEEE CSV header');
  const head = records[0];
  if (head.fields.length !== HEADER.length || head.fields.some((f, i) => f !== HEADER[i])) {
    throw malformed(file, { line: head.line }, `header is ${JSON.stringify(head.fields.join(','))}, expected ${JSON.stringify(HEADER.join(','))}`);
  }
  const bits = spec.digits * BITS_PER_HEX_DIGIT;
  for (let r = 1; r < records.length; r++) {
    const { line, fields } = records[r];
    if (fields.length !== HEADER.length) {
      throw malformed(file, { line }, `has ${fields.length} fields, expected ${HEADER.length}`);
    }
    const [registry, assignment, org] = fields;
    if (registry !== spec.registry) {
      throw malformed(file, { line, record: assignment }, `registry is ${JSON.stringify(registry)}, expected ${spec.registry}`);
    }
    if (assignment.length !== spec.digits || !HEX.test(assignment)) {
      throw malformed(file, { line, record: assignment }, `assignment must be ${spec.digits} hex digits for ${spec.registry}`);
    }
    const name = org.trim();
    if (name.length === 0) throw malformed(file, { line, record: assignment }, 'organization name is empty');
    into.add(parseInt(assignment, 16), { registry: spec.registry, name, bits });
  }
}

/** Loads the four registries from `dir` (the knowledge/ieee-data folder). */
export function loadIeee(dir: string): IeeeRegistries {
  const reg = new IeeeRegistries();
  for (const spec of IEEE_FILES) {
    const { text, file } = readFeedText(dir, spec.file);
    parseIeeeCsv(text, file, spec, reg);
  }
  return reg;
}
