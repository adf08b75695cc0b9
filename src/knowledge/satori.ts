// Satori passive fingerprints (xnih/satori, fingerprints/*.xml). Each file is
//   <ROOT><fingerprints><fingerprint name=… os_name=… device_type=…><x_tests>
//     <test weight="5" matchtype="exact|partial" [type attribute] field="value"/>
// and Satori's matching is: an "exact" test matches when the observed value equals the test's
// value, a "partial" test when the test's value is a substring of the observed value; each hit
// carries the test's weight, and Satori lists hits by weight, highest first. DHCP tests are
// scoped by message type (dhcptype), DHCPv6 by dhcpv6type, TCP by flags, SSL by testtype.
// Exact values are indexed in Maps and partial ones in Aho–Corasick automata, per field.
import { SubstringIndex } from './aho.js';
import { malformed } from './errors.js';
import { readFeedText } from './files.js';
import { parseXml, type XmlElement } from './xml.js';

export type SatoriKind = 'dhcp' | 'dhcpv6' | 'tcp' | 'smb' | 'ssh' | 'ssl' | 'web' | 'webuseragent';

export interface SatoriFingerprint {
  name: string;
  os: { name: string; class: string; vendor: string; url: string };
  device: { type: string; vendor: string; url: string };
  kind: SatoriKind;
  line: number;
}

export interface SatoriHit {
  fingerprint: SatoriFingerprint;
  weight: number;
  matchtype: 'exact' | 'partial';
  /** The test's attribute, e.g. dhcpoption55, smbnativename, webuseragent. */
  field: string;
  /** Message type / flags / JA3 kind the test is scoped to ('' when unscoped). */
  scope: string;
  value: string;
  line: number;
}

export interface SatoriCandidate {
  name: string;
  fingerprint: SatoriFingerprint;
  /** Sum over matched fields of the best weight for that field, plus negative weights (see rank()). */
  score: number;
  hits: SatoriHit[];
}

interface KindSpec {
  file: string;
  root: string;
  tests: string;
  /** Attribute that scopes a test, and its allowed values. */
  scopeAttr?: string;
  scopes?: readonly string[];
  /** Value attributes; each test has exactly one. */
  fields: readonly string[];
}

export const DHCP_TYPES = ['Any', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NAK', 'Release', 'Inform'] as const;
export type DhcpType = (typeof DHCP_TYPES)[number];
/** Satori's name for a DHCP message type (option 53 value, RFC 2132 §9.6), or undefined. */
export function dhcpTypeName(code: number): DhcpType | undefined {
  const MESSAGE_TYPES: readonly DhcpType[] = ['Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NAK', 'Release', 'Inform'];
  return MESSAGE_TYPES[code - 1];
}
export const DHCPV6_TYPES = ['Any', 'Solicit', 'Advertise', 'Request', 'Confirm', 'Renew', 'Rebind', 'Reply', 'Release', 'Decline', 'Reconfigure', 'Information-request'] as const;

export const SATORI_KINDS: Record<SatoriKind, KindSpec> = {
  dhcp: { file: 'dhcp.xml', root: 'DHCP', tests: 'dhcp_tests', scopeAttr: 'dhcptype', scopes: DHCP_TYPES, fields: ['dhcpoptions', 'dhcpoption55', 'dhcpvendorcode', 'ipttl'] },
  dhcpv6: { file: 'dhcpv6.xml', root: 'DHCPv6', tests: 'dhcpv6_tests', scopeAttr: 'dhcpv6type', scopes: DHCPV6_TYPES, fields: ['dhcpv6options', 'dhcpv6optionrequest', 'dhcpv6vendorcode'] },
  // Satori files a handful of tcpflag="A" tests with its SYN+ACK ones; so does wardline.
  tcp: { file: 'tcp.xml', root: 'TCP', tests: 'tcp_tests', scopeAttr: 'tcpflag', scopes: ['S', 'SA', 'A'], fields: ['tcpsig'] },
  smb: { file: 'smb.xml', root: 'SMB', tests: 'smb_tests', fields: ['smbnativename', 'smbnativelanman'] },
  ssh: { file: 'ssh.xml', root: 'SSH', tests: 'ssh_tests', fields: ['ssh'] },
  ssl: { file: 'ssl.xml', root: 'SSL', tests: 'ssl_tests', scopeAttr: 'testtype', scopes: ['ja3', 'ja3s', 'ja4'], fields: ['sslsig'] },
  web: { file: 'web.xml', root: 'WEBSERVER', tests: 'webserver_tests', fields: ['webserver'] },
  webuseragent: { file: 'webuseragent.xml', root: 'WEBUSERAGENT', tests: 'webuseragent_tests', fields: ['webuseragent'] },
};

const OPTION_LIST_FIELDS = new Set(['dhcpoptions', 'dhcpoption55', 'dhcpv6options', 'dhcpv6optionrequest']);
const OPTION_LIST = /^\d+(,\d+)*$/;
const MAX_DHCP_OPTION = 255;
const MAX_DHCPV6_OPTION = 65535;
const MAX_TTL = 255;
const DHCP_END = 255;
/** A Satori TCP signature: window:ttl:df:header length:options:oddities. */
const TCP_SIG_FIELDS = 6;

interface Bucket {
  exact: Map<string, SatoriHit[]>;
  partial: SubstringIndex<SatoriHit>;
  /** TCP "partial" tests are wildcard patterns ('*' for df, 'W*' for any scale): exact-keyed. */
  wildcard: Map<string, SatoriHit[]>;
}

export interface SatoriFileInfo {
  kind: SatoriKind;
  file: string;
  created: string;
  lastUpdated: string;
  fingerprints: number;
  tests: number;
}

export class SatoriDatabase {
  private readonly buckets = new Map<string, Bucket>();
  readonly files: SatoriFileInfo[] = [];

  private bucket(kind: SatoriKind, scope: string, field: string): Bucket {
    const key = `${kind}|${scope}|${field}`;
    let b = this.buckets.get(key);
    if (b === undefined) {
      b = { exact: new Map(), partial: new SubstringIndex(), wildcard: new Map() };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Registers one test (used by the loader). */
  addHit(kind: SatoriKind, hit: SatoriHit): void {
    const b = this.bucket(kind, hit.scope, hit.field);
    const target = hit.matchtype === 'exact' ? b.exact : kind === 'tcp' ? b.wildcard : null;
    if (target === null) {
      b.partial.add(hit.value, hit);
      return;
    }
    const list = target.get(hit.value) ?? [];
    list.push(hit);
    target.set(hit.value, list);
  }

  /** Builds the substring automata; called once after loading. */
  finish(): void {
    for (const b of this.buckets.values()) b.partial.build();
  }

  /** Every test of `kind`/`scope`/`field` that `value` satisfies. */
  lookup(kind: SatoriKind, scope: string, field: string, value: string): SatoriHit[] {
    const b = this.buckets.get(`${kind}|${scope}|${field}`);
    if (b === undefined || value.length === 0) return [];
    const exact = b.exact.get(value) ?? [];
    const partial = b.partial.search(value);
    return exact.length === 0 ? partial : partial.length === 0 ? exact : [...exact, ...partial];
  }

  private wildcardLookup(scope: string, variants: string[]): SatoriHit[] {
    const b = this.buckets.get(`tcp|${scope}|tcpsig`);
    if (b === undefined) return [];
    const out: SatoriHit[] = [];
    for (const v of new Set(variants)) out.push(...(b.wildcard.get(v) ?? []));
    return out;
  }

  /**
   * DHCP (RFC 2131/2132) client fingerprint: option 55 parameter request list, the order of
   * options in the message, option 60 vendor class and the IP TTL. Tests for the message type
   * and Satori's "Any" tests apply; without a message type, tests of every type apply.
   * `options` is every option code in wire order; Satori's files list it both with and without
   * the End option (255), so both forms are tried.
   */
  matchDhcp(q: { messageType?: DhcpType; options?: readonly number[]; param55?: readonly number[]; vendorClass?: string; ttl?: number }): SatoriCandidate[] {
    const scopes = q.messageType === undefined ? [...DHCP_TYPES] : q.messageType === 'Any' ? ['Any'] : [q.messageType, 'Any'];
    const hits: SatoriHit[] = [];
    for (const scope of scopes) {
      if (q.options !== undefined && q.options.length > 0) {
        const withEnd = q.options[q.options.length - 1] === DHCP_END ? q.options : [...q.options, DHCP_END];
        const withoutEnd = withEnd.slice(0, -1);
        const b = this.buckets.get(`dhcp|${scope}|dhcpoptions`);
        if (b !== undefined) {
          hits.push(...(b.exact.get(withEnd.join(',')) ?? []), ...(withoutEnd.length > 0 ? b.exact.get(withoutEnd.join(',')) ?? [] : []));
          hits.push(...b.partial.search(withEnd.join(',')));
        }
      }
      if (q.param55 !== undefined && q.param55.length > 0) hits.push(...this.lookup('dhcp', scope, 'dhcpoption55', q.param55.join(',')));
      if (q.vendorClass !== undefined) hits.push(...this.lookup('dhcp', scope, 'dhcpvendorcode', q.vendorClass));
      if (q.ttl !== undefined) hits.push(...this.lookup('dhcp', scope, 'ipttl', String(q.ttl)));
    }
    return rank(hits);
  }

  /** DHCPv6 (RFC 8415) client fingerprint: option order, option request option (6), vendor class. */
  matchDhcpv6(q: { messageType?: string; options?: readonly number[]; optionRequest?: readonly number[]; vendorCode?: string }): SatoriCandidate[] {
    const scopes = q.messageType === undefined ? [...DHCPV6_TYPES] : q.messageType === 'Any' ? ['Any'] : [q.messageType, 'Any'];
    const hits: SatoriHit[] = [];
    for (const scope of scopes) {
      if (q.options !== undefined && q.options.length > 0) hits.push(...this.lookup('dhcpv6', scope, 'dhcpv6options', q.options.join(',')));
      if (q.optionRequest !== undefined && q.optionRequest.length > 0) hits.push(...this.lookup('dhcpv6', scope, 'dhcpv6optionrequest', q.optionRequest.join(',')));
      if (q.vendorCode !== undefined) hits.push(...this.lookup('dhcpv6', scope, 'dhcpv6vendorcode', q.vendorCode));
    }
    return rank(hits);
  }

  /** SMB Session Setup AndX NativeOS / NativeLanMan strings (MS-CIFS 2.2.4.53). */
  matchSmb(q: { nativeOs?: string; nativeLanMan?: string }): SatoriCandidate[] {
    const hits: SatoriHit[] = [];
    if (q.nativeOs !== undefined) hits.push(...this.lookup('smb', '', 'smbnativename', q.nativeOs));
    if (q.nativeLanMan !== undefined) hits.push(...this.lookup('smb', '', 'smbnativelanman', q.nativeLanMan));
    return rank(hits);
  }

  /** SSH identification string (RFC 4253 §4.2), without the trailing CR LF. */
  matchSsh(banner: string): SatoriCandidate[] {
    return rank(this.lookup('ssh', '', 'ssh', banner));
  }

  /** HTTP Server header value. */
  matchHttpServer(server: string): SatoriCandidate[] {
    return rank(this.lookup('web', '', 'webserver', server));
  }

  /** HTTP User-Agent header value. */
  matchUserAgent(userAgent: string): SatoriCandidate[] {
    return rank(this.lookup('webuseragent', '', 'webuseragent', userAgent));
  }

  /** TLS client / server fingerprints (JA3, JA3S hashes; JA4 strings). */
  matchTls(q: { ja3?: string; ja3s?: string; ja4?: string }): SatoriCandidate[] {
    const hits: SatoriHit[] = [];
    if (q.ja3 !== undefined) hits.push(...this.lookup('ssl', 'ja3', 'sslsig', q.ja3));
    if (q.ja3s !== undefined) hits.push(...this.lookup('ssl', 'ja3s', 'sslsig', q.ja3s));
    if (q.ja4 !== undefined) hits.push(...this.lookup('ssl', 'ja4', 'sslsig', q.ja4));
    return rank(hits);
  }

  /**
   * Satori TCP signature "window:ttl:df:hdrlen:options:oddities" of a SYN ('S') or SYN+ACK
   * ('SA'). Exact tests compare the string; wildcard tests ('*' for the DF field, 'W*' for any
   * window scale) are tried with those parts of the observed signature replaced.
   */
  matchTcpSignature(flag: 'S' | 'SA', sig: string): SatoriCandidate[] {
    const scopes = flag === 'S' ? ['S'] : ['SA', 'A'];
    const hits: SatoriHit[] = [];
    const f = sig.split(':');
    for (const scope of scopes) {
      hits.push(...this.lookup('tcp', scope, 'tcpsig', sig));
      if (f.length !== TCP_SIG_FIELDS) continue;
      const anyScale = f[4].split(',').map((o) => (o.startsWith('W') ? 'W*' : o)).join(',');
      const anyDf = [f[0], f[1], '*', f[3]];
      hits.push(
        ...this.wildcardLookup(scope, [
          [...anyDf, anyScale, f[5]].join(':'),
          [f[0], f[1], f[2], f[3], anyScale, f[5]].join(':'),
          [...anyDf, f[4], f[5]].join(':'),
        ]),
      );
    }
    return rank(hits);
  }
}

/**
 * Groups hits by fingerprint name and scores each: per field, the best positive weight plus any
 * negative weights (Satori uses those as counter-evidence, e.g. "like Mac OS X" at -5 against
 * the "Mac OS X" fingerprint for iOS user agents). Candidates whose evidence cancels out (score
 * <= 0) are dropped; the rest are ordered by score, then name.
 */
export function rank(hits: readonly SatoriHit[]): SatoriCandidate[] {
  const byName = new Map<string, { fp: SatoriFingerprint; best: Map<string, number>; negative: number; hits: Set<SatoriHit> }>();
  for (const h of hits) {
    let c = byName.get(h.fingerprint.name);
    if (c === undefined) {
      c = { fp: h.fingerprint, best: new Map(), negative: 0, hits: new Set() };
      byName.set(h.fingerprint.name, c);
    }
    if (c.hits.has(h)) continue;
    c.hits.add(h);
    if (h.weight < 0) {
      c.negative += h.weight;
      continue;
    }
    const prev = c.best.get(h.field);
    if (prev === undefined || h.weight > prev) c.best.set(h.field, h.weight);
  }
  const out: SatoriCandidate[] = [];
  for (const [name, c] of byName) {
    let score = c.negative;
    for (const w of c.best.values()) score += w;
    if (score <= 0) continue;
    const list = [...c.hits].sort((a, b) => b.weight - a.weight || a.line - b.line);
    out.push({ name, fingerprint: c.fp, score, hits: list });
  }
  out.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

function attr(el: XmlElement, name: string): string {
  return el.attrs.get(name) ?? '';
}

/** Checks and normalises a test value; returns an error message for a bad one. */
function checkValue(field: string, value: string): string | { value: string } {
  if (OPTION_LIST_FIELDS.has(field)) {
    // A few real entries carry a stray space around the list; the numbers are what count.
    const v = value.split(',').map((x) => x.trim()).join(',');
    if (!OPTION_LIST.test(v)) return `${field} must be a comma-separated list of option numbers`;
    const max = field.startsWith('dhcpv6') ? MAX_DHCPV6_OPTION : MAX_DHCP_OPTION;
    if (v.split(',').some((x) => Number(x) > max)) return `${field} has an option number above ${max}`;
    return { value: v };
  }
  if (field === 'ipttl') {
    if (!/^\d+$/.test(value) || Number(value) > MAX_TTL) return `ipttl must be 0..${MAX_TTL}`;
    return { value };
  }
  if (field === 'tcpsig') {
    if (value.split(':').length !== TCP_SIG_FIELDS) return 'tcpsig must have 6 fields window:ttl:df:hdrlen:options:oddities';
    return { value };
  }
  if (value.length === 0) return `${field} is empty`;
  return { value };
}

/** Parses one Satori XML file into `db`; throws a KnowledgeError on the first malformed entry. */
export function parseSatoriXml(text: string, file: string, kind: SatoriKind, db: SatoriDatabase): SatoriFileInfo {
  const spec = SATORI_KINDS[kind];
  const root = parseXml(text, file);
  if (root.name !== spec.root) throw malformed(file, { line: root.line }, `root element is <${root.name}>, expected <${spec.root}>`);
  const lists = root.children.filter((c) => c.name === 'fingerprints');
  if (lists.length !== 1) throw malformed(file, { line: root.line }, `expected one <fingerprints> element, found ${lists.length}`);
  const info: SatoriFileInfo = { kind, file, created: attr(root, 'created'), lastUpdated: attr(root, 'last_updated'), fingerprints: 0, tests: 0 };
  for (const fpEl of lists[0].children) {
    if (fpEl.name !== 'fingerprint') throw malformed(file, { line: fpEl.line }, `unexpected <${fpEl.name}> in <fingerprints>`);
    const name = attr(fpEl, 'name').trim();
    if (name.length === 0) throw malformed(file, { line: fpEl.line }, 'fingerprint without a name');
    const fp: SatoriFingerprint = {
      name,
      os: { name: attr(fpEl, 'os_name'), class: attr(fpEl, 'os_class'), vendor: attr(fpEl, 'os_vendor'), url: attr(fpEl, 'os_url') },
      device: { type: attr(fpEl, 'device_type'), vendor: attr(fpEl, 'device_vendor'), url: attr(fpEl, 'device_url') },
      kind,
      line: fpEl.line,
    };
    const testLists = fpEl.children.filter((c) => c.name === spec.tests);
    if (testLists.length !== 1 || fpEl.children.length !== 1) {
      throw malformed(file, { line: fpEl.line, record: name }, `fingerprint must hold exactly one <${spec.tests}>`);
    }
    for (const t of testLists[0].children) {
      const at = { line: t.line, record: name };
      if (t.name !== 'test') throw malformed(file, at, `unexpected <${t.name}> in <${spec.tests}>`);
      const weightText = attr(t, 'weight');
      if (!/^-?\d+$/.test(weightText)) throw malformed(file, at, `weight must be an integer, got ${JSON.stringify(weightText)}`);
      const matchtype = attr(t, 'matchtype');
      if (matchtype !== 'exact' && matchtype !== 'partial') throw malformed(file, at, `matchtype must be exact or partial, got ${JSON.stringify(matchtype)}`);
      let scope = '';
      if (spec.scopeAttr !== undefined) {
        scope = attr(t, spec.scopeAttr);
        if (!spec.scopes!.includes(scope)) throw malformed(file, at, `${spec.scopeAttr} must be one of ${spec.scopes!.join(', ')}, got ${JSON.stringify(scope)}`);
      }
      const present = spec.fields.filter((f) => t.attrs.has(f));
      if (present.length !== 1) throw malformed(file, at, `test needs exactly one of ${spec.fields.join(', ')}`);
      const field = present[0];
      const checked = checkValue(field, t.attrs.get(field)!);
      if (typeof checked === 'string') throw malformed(file, at, checked);
      if (matchtype === 'partial' && kind !== 'tcp' && checked.value.length === 0) throw malformed(file, at, 'partial test with an empty value');
      // Satori files "A" tests with its SYN+ACK ones.
      db.addHit(kind, { fingerprint: fp, weight: Number(weightText), matchtype, field, scope, value: checked.value, line: t.line });
      info.tests++;
    }
    info.fingerprints++;
  }
  return info;
}

/** Loads the Satori fingerprint files from `dir` (knowledge/satori/fingerprints). */
export function loadSatori(dir: string, kinds: readonly SatoriKind[] = Object.keys(SATORI_KINDS) as SatoriKind[]): SatoriDatabase {
  const db = new SatoriDatabase();
  for (const kind of kinds) {
    const { text, file } = readFeedText(dir, SATORI_KINDS[kind].file);
    db.files.push(parseSatoriXml(text, file, kind, db));
  }
  db.finish();
  return db;
}
