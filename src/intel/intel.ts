// Threat-intelligence indicators in Zeek's intel framework format (base/frameworks/intel): a
// tab-separated file whose "#fields" line names `indicator`, `indicator_type` and any `meta.*`
// columns (`meta.source`, `meta.desc`, `meta.url`, and `meta.whitelist` of the whitelist
// policy, T to never report that indicator). The feeds SOCs share (MISP and Health-ISAC
// exports, Zeek intel files) use it. A malformed line is refused with its file and line.
// Indicators are kept normalised (lower-case names and hashes, canonical addresses) in one Map
// per type, subnets by prefix length, so a lookup is one or a few Map probes.
import { readFileSync } from 'node:fs';
import { formatAddr } from '../decode/packet.js';
import { addrWords } from '../monitor/net.js';

/** Zeek's Intel::Type values wardline reads (the others are refused, not silently ignored). */
export const INDICATOR_TYPES = ['ADDR', 'SUBNET', 'DOMAIN', 'URL', 'EMAIL', 'USER_NAME', 'SOFTWARE', 'FILE_HASH', 'FILE_NAME', 'CERT_HASH', 'PUBKEY_HASH'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** Indicators loaded at most (past it the file is refused: a feed that large wants a real store). */
export const MAX_INDICATORS = 2_000_000;

export interface IntelEntry {
  /** The indicator as the feed wrote it. */
  indicator: string;
  type: IndicatorType;
  /** meta.source of every line that listed it, sorted. */
  sources: string[];
  /** meta.desc of the first line. */
  desc?: string;
  url?: string;
  whitelisted: boolean;
}

export class IntelError extends Error {}

/** Canonical text of an address, or null. */
function canonAddr(s: string): string | null {
  const w = addrWords(s.trim());
  return w === null ? null : formatAddr(w[0], w[1], w[2], w[3]);
}

/** The indicator as it is looked up (what the traffic's value is normalised to as well). */
export function normalise(type: IndicatorType, v: string): string | null {
  switch (type) {
    case 'ADDR':
      return canonAddr(v);
    case 'DOMAIN':
      return v.trim().toLowerCase().replace(/\.$/, '');
    case 'EMAIL':
    case 'FILE_HASH':
    case 'CERT_HASH':
    case 'PUBKEY_HASH':
      return v.trim().toLowerCase();
    case 'URL':
      // Zeek's URL indicators have no scheme ("host/path").
      return v.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    default:
      return v;
  }
}

interface Subnet {
  v4: boolean;
  bits: number;
  /** Masked address words → entry. */
  nets: Map<string, IntelEntry>;
}

export class IntelSet {
  private readonly byType = new Map<IndicatorType, Map<string, IntelEntry>>();
  private readonly subnets: Subnet[] = [];
  size = 0;
  readonly files: string[] = [];

  /** Reads Zeek intel files; throws IntelError naming the file and line of the first bad entry. */
  static load(paths: readonly string[]): IntelSet {
    const s = new IntelSet();
    for (const p of paths) {
      let text: string;
      try {
        text = readFileSync(p, 'utf8');
      } catch (e) {
        throw new IntelError(`${p}: cannot read (${(e as Error).message})`);
      }
      s.addText(text, p);
    }
    return s;
  }

  /** Adds the indicators of one intel file's text; `name` is cited in errors. */
  addText(text: string, name: string): void {
    this.files.push(name);
    let fields: string[] | null = null;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line === '') continue;
      if (line.startsWith('#')) {
        if (line.startsWith('#fields')) fields = line.split('\t').slice(1);
        continue;
      }
      const where = `${name} line ${i + 1}`;
      if (fields === null) throw new IntelError(`${where}: an indicator before the #fields line`);
      const cols = line.split('\t');
      const get = (f: string): string | undefined => {
        const k = fields!.indexOf(f);
        const v = k < 0 ? undefined : cols[k];
        return v === undefined || v === '-' || v === '(empty)' ? undefined : v;
      };
      const indicator = get('indicator');
      const rawType = get('indicator_type');
      if (indicator === undefined || rawType === undefined) throw new IntelError(`${where}: no indicator or indicator_type`);
      const type = rawType.replace(/^Intel::/, '') as IndicatorType;
      if (!INDICATOR_TYPES.includes(type)) throw new IntelError(`${where}: unknown indicator_type ${rawType} (known: ${INDICATOR_TYPES.map((t) => `Intel::${t}`).join(', ')})`);
      const source = get('meta.source') ?? name;
      const wl = get('meta.whitelist');
      this.add(type, indicator, source, { desc: get('meta.desc'), url: get('meta.url'), whitelisted: wl === 'T' || wl === 'true' }, where);
    }
  }

  private add(type: IndicatorType, indicator: string, source: string, meta: { desc?: string; url?: string; whitelisted: boolean }, where: string): void {
    if (type === 'SUBNET') {
      this.addSubnet(indicator, source, meta, where);
      return;
    }
    const key = normalise(type, indicator);
    if (key === null || key === '') throw new IntelError(`${where}: not a valid ${type}: ${indicator}`);
    let m = this.byType.get(type);
    if (m === undefined) this.byType.set(type, (m = new Map()));
    this.merge(m, key, indicator, type, source, meta, where);
  }

  private merge(m: Map<string, IntelEntry>, key: string, indicator: string, type: IndicatorType, source: string, meta: { desc?: string; url?: string; whitelisted: boolean }, where: string): void {
    const cur = m.get(key);
    if (cur !== undefined) {
      if (!cur.sources.includes(source)) {
        cur.sources.push(source);
        cur.sources.sort();
      }
      if (meta.whitelisted) cur.whitelisted = true;
      return;
    }
    if (++this.size > MAX_INDICATORS) throw new IntelError(`${where}: more than ${MAX_INDICATORS} indicators`);
    const e: IntelEntry = { indicator, type, sources: [source], whitelisted: meta.whitelisted };
    if (meta.desc !== undefined) e.desc = meta.desc;
    if (meta.url !== undefined) e.url = meta.url;
    m.set(key, e);
  }

  private addSubnet(cidr: string, source: string, meta: { desc?: string; url?: string; whitelisted: boolean }, where: string): void {
    const slash = cidr.indexOf('/');
    const w = slash < 0 ? null : addrWords(cidr.slice(0, slash));
    const v4 = w !== null && w[0] === 0 && w[1] === 0 && w[2] === 0xffff && !cidr.includes(':');
    const bits = slash < 0 ? NaN : Number(cidr.slice(slash + 1));
    if (w === null || !Number.isInteger(bits) || bits < 0 || bits > (v4 ? 32 : 128)) throw new IntelError(`${where}: not a valid SUBNET: ${cidr}`);
    let s = this.subnets.find((x) => x.v4 === v4 && x.bits === bits);
    if (s === undefined) {
      s = { v4, bits, nets: new Map() };
      this.subnets.push(s);
      // Longest prefix first: the most specific listing answers.
      this.subnets.sort((a, b) => (a.v4 === b.v4 ? b.bits - a.bits : a.v4 ? -1 : 1));
    }
    this.merge(s.nets, maskKey(w, v4 ? 96 + bits : bits), cidr, 'SUBNET', source, meta, where);
  }

  has(type: IndicatorType): boolean {
    return type === 'SUBNET' ? this.subnets.length > 0 : (this.byType.get(type)?.size ?? 0) > 0;
  }

  /** The entry a traffic value matches, or undefined (whitelisted entries never match). */
  lookup(type: Exclude<IndicatorType, 'SUBNET'>, value: string): IntelEntry | undefined {
    const m = this.byType.get(type);
    if (m === undefined) return undefined;
    const key = normalise(type, value);
    if (key === null) return undefined;
    const e = m.get(key);
    return e === undefined || e.whitelisted ? undefined : e;
  }

  /** The most specific listed subnet holding the address (given as four words). */
  lookupSubnet(w: readonly [number, number, number, number]): IntelEntry | undefined {
    const v4 = w[0] === 0 && w[1] === 0 && w[2] === 0xffff;
    for (const s of this.subnets) {
      if (s.v4 !== v4) continue;
      const e = s.nets.get(maskKey(w, v4 ? 96 + s.bits : s.bits));
      if (e !== undefined) return e.whitelisted ? undefined : e;
    }
    return undefined;
  }
}

/** The first `bits` bits of the four address words, as a Map key. */
function maskKey(w: readonly [number, number, number, number], bits: number): string {
  let k = '';
  for (let i = 0; i < 4; i++) {
    const take = Math.max(0, Math.min(32, bits - 32 * i));
    const mask = take === 0 ? 0 : take === 32 ? 0xffffffff : (0xffffffff << (32 - take)) >>> 0;
    k += ((w[i] & mask) >>> 0).toString(16) + ':';
  }
  return k;
}
