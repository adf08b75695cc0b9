// p0f v3 fingerprint database (p0f.fp), parsed per p0f's README section 5 ("Fingerprint
// database"): [mtu], [tcp:request], [tcp:response], [http:request] and [http:response] sections;
// `label = type:class:name:flavor`, `sys = ...` for application labels, `sig = ...` lines.
// TCP signatures (ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass) are indexed by option
// layout, HTTP signatures by a header they require, MTU values by value. Matching lives in
// p0f-tcp.ts and p0f-http.ts.
import { malformed } from './errors.js';
import { readFeedText } from './files.js';

export const P0F_FILE = 'p0f.fp';

/** Quirk names in p0f's output order; a quirk set is a bitmask over this list. */
export const P0F_QUIRKS = [
  'df', 'id+', 'id-', 'ecn', '0+', 'flow',
  'seq-', 'ack+', 'ack-', 'uptr+', 'urgf+', 'pushf+',
  'ts1-', 'ts2+', 'opt+', 'exws', 'bad',
] as const;
export type P0fQuirk = (typeof P0F_QUIRKS)[number];
export const QUIRK_BIT: Record<P0fQuirk, number> = Object.fromEntries(P0F_QUIRKS.map((q, i) => [q, 1 << i])) as Record<P0fQuirk, number>;
/** Quirks that describe IPv4 header fields, and the one that describes IPv6's. */
export const IPV4_ONLY_QUIRKS = QUIRK_BIT.df | QUIRK_BIT['id+'] | QUIRK_BIT['id-'] | QUIRK_BIT['0+'];
export const IPV6_ONLY_QUIRKS = QUIRK_BIT.flow;

/** TCP option kinds as p0f names them in option layouts (RFC 9293, RFC 7323, RFC 2018). */
export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WS = 3;
export const TCPOPT_SOK = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_TS = 8;
const OPT_NAMES: Record<string, number> = { nop: TCPOPT_NOP, mss: TCPOPT_MSS, ws: TCPOPT_WS, sok: TCPOPT_SOK, sack: TCPOPT_SACK, ts: TCPOPT_TS };
/** p0f keeps at most this many options of a layout (MAX_TCP_OPT in p0f's config.h). */
export const MAX_TCP_OPT = 24;
const MAX_TTL = 255;
const MAX_WIN = 65535;
const MAX_MULTIPLIER = 1000;
const MIN_MODULO = 2;
/** HTTP_MAX_HDRS in p0f's config.h. */
const HTTP_MAX_HDRS = 32;
/** Characters p0f accepts in names besides letters and digits (NAME_CHARS in config.h). */
const NAME_RE = /^[A-Za-z0-9 ./\-_!?()]+$/;
const HEADER_NAME_RE = /^[A-Za-z0-9_-]+$/;

export type WinType = 'normal' | 'any' | 'mod' | 'mss' | 'mtu';

export interface P0fLabel {
  /** 's' (specific) or 'g' (generic: only used when no specific signature matches). */
  type: 's' | 'g';
  /** OS family registered by `classes`, or '!' for an application. */
  class: string;
  name: string;
  /** May be empty ("g:unix:Mac OS X:"). */
  flavor: string;
  /** For application labels: OS names or @classes it runs on. */
  sys: string[];
  line: number;
}

export interface TcpSignature {
  line: number;
  label: P0fLabel;
  /** 4, 6, or -1 for '*'. */
  ver: number;
  ittl: number;
  /** TTL with a '-' suffix: a tool that randomises TTL up to `ittl`. */
  badTtl: boolean;
  olen: number;
  /** -1 for '*'. */
  mss: number;
  winType: WinType;
  win: number;
  /** -1 for '*'. */
  scale: number;
  /** Option kinds in order (EOL as 0, without its padding). */
  layout: number[];
  /** Bytes of padding after EOL ("eol+N"). */
  eolPad: number;
  quirks: number;
  /** -1 for '*', 0 for no payload, 1 for payload. */
  pclass: number;
  generic: boolean;
}

export interface HttpHeaderSpec {
  name: string;
  /** Substring the header value must contain (name=[value]). */
  value?: string;
  /** '?name': may be absent, but then must not appear anywhere else either. */
  optional: boolean;
}

export interface HttpSignature {
  line: number;
  label: P0fLabel;
  /** 0, 1, or -1 for '*'. */
  ver: number;
  headers: HttpHeaderSpec[];
  absent: string[];
  /** Expected substring of User-Agent / Server (not used for matching: flags dishonest software). */
  sw?: string;
  generic: boolean;
  /** Position in the section, so candidates from several index buckets keep file order. */
  order: number;
}

export interface HttpSection {
  sigs: HttpSignature[];
  /** First required header name → signatures that require it. */
  byHeader: Map<string, HttpSignature[]>;
  /** Signatures with no required header (all optional): always candidates. */
  always: HttpSignature[];
}

export interface P0fDatabase {
  file: string;
  classes: string[];
  /** MTU → link type label. */
  mtu: Map<number, string>;
  /** Option-layout key → signatures in file order; [0] SYN (request), [1] SYN+ACK (response). */
  tcp: [Map<string, TcpSignature[]>, Map<string, TcpSignature[]>];
  http: [HttpSection, HttpSection];
  /** ua_os: OS name → strings to look for in an honest User-Agent. */
  uaOs: Map<string, string[]>;
  counts: { mtu: number; tcpRequest: number; tcpResponse: number; httpRequest: number; httpResponse: number; labels: number };
}

/** Index key for an option layout: the kinds in order, comma separated. */
export function layoutKey(layout: readonly number[]): string {
  return layout.join(',');
}

type Section = 'none' | 'mtu' | 'tcp:request' | 'tcp:response' | 'http:request' | 'http:response';
type State = 'need_section' | 'need_label' | 'need_sys' | 'need_sig';

class Parser {
  readonly db: P0fDatabase;
  private section: Section = 'none';
  private state: State = 'need_section';
  private label: P0fLabel | null = null;
  private mtuLabel = '';
  private lineNo = 0;
  private readonly classSet = new Set<string>();

  constructor(private readonly file: string) {
    const emptyHttp = (): HttpSection => ({ sigs: [], byHeader: new Map(), always: [] });
    this.db = {
      file,
      classes: [],
      mtu: new Map(),
      tcp: [new Map(), new Map()],
      http: [emptyHttp(), emptyHttp()],
      uaOs: new Map(),
      counts: { mtu: 0, tcpRequest: 0, tcpResponse: 0, httpRequest: 0, httpResponse: 0, labels: 0 },
    };
  }

  private fail(detail: string): never {
    throw malformed(this.file, { line: this.lineNo }, detail);
  }

  parse(text: string): P0fDatabase {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      this.lineNo = i + 1;
      const line = lines[i].replace(/\r$/, '').trim();
      if (line.length === 0 || line.startsWith(';')) continue;
      this.parseLine(line);
    }
    if (this.db.counts.tcpRequest === 0) throw malformed(this.file, {}, 'no [tcp:request] signatures: not a p0f v3 database');
    return this.db;
  }

  private parseLine(line: string): void {
    if (line.startsWith('[')) {
      const m = /^\[(mtu|tcp:request|tcp:response|http:request|http:response)\]$/.exec(line);
      if (m === null) this.fail(`unknown section ${line}; expected [mtu], [tcp:request], [tcp:response], [http:request] or [http:response]`);
      this.section = m[1] as Section;
      this.state = 'need_label';
      this.label = null;
      return;
    }
    const m = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(line);
    if (m === null) this.fail('expected "name = value", a [section] or a ; comment');
    const [, key, val] = m;
    switch (key) {
      case 'classes':
        if (this.state !== 'need_section') this.fail("'classes' must come before the first section");
        for (const c of val.split(',').map((s) => s.trim())) {
          if (!/^[A-Za-z0-9]+$/.test(c)) this.fail(`malformed class ${JSON.stringify(c)}`);
          this.db.classes.push(c);
          this.classSet.add(c.toLowerCase());
        }
        return;
      case 'ua_os':
        if (this.section !== 'http:request' || this.state !== 'need_label') this.fail("'ua_os' belongs at the start of [http:request]");
        this.parseUaOs(val);
        return;
      case 'label':
        if (this.state !== 'need_label' && this.state !== 'need_sig') this.fail("misplaced 'label'");
        this.parseLabel(val);
        return;
      case 'sys':
        if (this.state !== 'need_sys' || this.label === null) this.fail("'sys' must follow an application ('!') label");
        this.label.sys = this.parseSys(val);
        this.state = 'need_sig';
        return;
      case 'sig':
        if (this.state !== 'need_sig') this.fail(this.state === 'need_sys' ? "application label needs a 'sys' line before its signatures" : "'sig' without a label");
        this.parseSig(val);
        return;
      default:
        this.fail(`unknown field '${key}'`);
    }
  }

  private parseUaOs(val: string): void {
    for (const item of val.split(',')) {
      const m = /^\s*([^=[\]]+?)\s*(?:=\[([^\]]+)\])?\s*$/.exec(item);
      if (m === null || !NAME_RE.test(m[1])) this.fail(`malformed ua_os entry ${JSON.stringify(item)}`);
      const list = this.db.uaOs.get(m[1]) ?? [];
      list.push(m[2] ?? m[1]);
      this.db.uaOs.set(m[1], list);
    }
  }

  private parseLabel(val: string): void {
    if (this.section === 'mtu') {
      if (val.length === 0) this.fail('empty MTU label');
      this.mtuLabel = val;
      this.state = 'need_sig';
      return;
    }
    const m = /^([sg]):([A-Za-z0-9!]+):([^:]+):(.*)$/.exec(val);
    if (m === null) this.fail(`label must be type:class:name:flavor with type s or g, got ${JSON.stringify(val)}`);
    const [, type, cls, name, flavor] = m;
    if (cls !== '!' && !this.classSet.has(cls.toLowerCase())) this.fail(`class '${cls}' is not declared by 'classes'`);
    if (!NAME_RE.test(name)) this.fail(`malformed name ${JSON.stringify(name)}`);
    this.label = { type: type as 's' | 'g', class: cls, name, flavor, sys: [], line: this.lineNo };
    this.db.counts.labels++;
    this.state = cls === '!' ? 'need_sys' : 'need_sig';
  }

  private parseSys(val: string): string[] {
    const out: string[] = [];
    for (const raw of val.split(',')) {
      const item = raw.trim();
      const isClass = item.startsWith('@');
      const name = isClass ? item.slice(1) : item;
      if (name.length === 0 || !NAME_RE.test(name)) this.fail(`malformed sys entry ${JSON.stringify(raw)}`);
      if (isClass && !this.classSet.has(name.toLowerCase())) this.fail(`sys names unknown class '@${name}'`);
      out.push(item);
    }
    return out;
  }

  private parseSig(val: string): void {
    switch (this.section) {
      case 'mtu': {
        if (!/^\d+$/.test(val) || Number(val) < 1 || Number(val) > MAX_WIN) this.fail(`MTU must be 1..${MAX_WIN}`);
        this.db.mtu.set(Number(val), this.mtuLabel);
        this.db.counts.mtu++;
        return;
      }
      case 'tcp:request':
      case 'tcp:response': {
        const sig = this.parseTcpSig(val);
        const dir = this.section === 'tcp:request' ? 0 : 1;
        const key = layoutKey(sig.layout);
        const list = this.db.tcp[dir].get(key) ?? [];
        list.push(sig);
        this.db.tcp[dir].set(key, list);
        if (dir === 0) this.db.counts.tcpRequest++;
        else this.db.counts.tcpResponse++;
        return;
      }
      case 'http:request':
      case 'http:response': {
        const dir = this.section === 'http:request' ? 0 : 1;
        const sec = this.db.http[dir];
        const sig = this.parseHttpSig(val, sec.sigs.length);
        sec.sigs.push(sig);
        const first = sig.headers.find((h) => !h.optional);
        if (first === undefined) sec.always.push(sig);
        else {
          const list = sec.byHeader.get(first.name) ?? [];
          list.push(sig);
          sec.byHeader.set(first.name, list);
        }
        if (dir === 0) this.db.counts.httpRequest++;
        else this.db.counts.httpResponse++;
        return;
      }
      default:
        this.fail("'sig' outside a section");
    }
  }

  private int(text: string, what: string, min: number, max: number): number {
    if (!/^\d+$/.test(text)) this.fail(`${what} must be a number, got ${JSON.stringify(text)}`);
    const n = Number(text);
    if (n < min || n > max) this.fail(`${what} ${n} is outside ${min}..${max}`);
    return n;
  }

  private parseTcpSig(val: string): TcpSignature {
    const f = val.split(':');
    if (f.length !== 8) this.fail(`TCP signature needs 8 fields ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass, got ${f.length}`);
    const [verT, ttlT, olenT, mssT, winT, layoutT, quirksT, pclassT] = f;
    const ver = verT === '4' ? 4 : verT === '6' ? 6 : verT === '*' ? -1 : this.fail(`IP version must be 4, 6 or *, got ${JSON.stringify(verT)}`);
    const tm = /^(\d+)(?:(-)|\+(\d+))?$/.exec(ttlT);
    if (tm === null) this.fail(`initial TTL must be N, N+D or N-, got ${JSON.stringify(ttlT)}`);
    let ittl = this.int(tm[1], 'initial TTL', 1, MAX_TTL);
    if (tm[3] !== undefined) ittl = this.int(String(ittl + Number(tm[3])), 'initial TTL plus distance', 1, MAX_TTL);
    const badTtl = tm[2] === '-';
    const olen = this.int(olenT, 'IP option length', 0, MAX_TTL);
    const mss = mssT === '*' ? -1 : this.int(mssT, 'MSS', 0, MAX_WIN);
    const comma = winT.indexOf(',');
    if (comma < 0) this.fail('window field must be "wsize,scale"');
    const wsT = winT.slice(0, comma);
    const scaleT = winT.slice(comma + 1);
    let winType: WinType;
    let win: number;
    if (wsT === '*') {
      winType = 'any';
      win = 0;
    } else if (wsT.startsWith('%')) {
      winType = 'mod';
      win = this.int(wsT.slice(1), "window '%' modulo", MIN_MODULO, MAX_WIN);
    } else if (wsT.startsWith('mss*') || wsT.startsWith('mtu*')) {
      winType = wsT.startsWith('mss') ? 'mss' : 'mtu';
      win = this.int(wsT.slice(4), 'window multiplier', 1, MAX_MULTIPLIER);
    } else {
      winType = 'normal';
      win = this.int(wsT, 'window size', 0, MAX_WIN);
    }
    const scale = scaleT === '*' ? -1 : this.int(scaleT, 'window scale', 0, MAX_TTL);
    const { layout, eolPad } = this.parseLayout(layoutT);
    let quirks = 0;
    if (quirksT.length > 0) {
      for (const q of quirksT.split(',')) {
        const bit = (QUIRK_BIT as Record<string, number>)[q];
        if (bit === undefined) this.fail(`unknown quirk ${JSON.stringify(q)}`);
        if (ver === 6 && (bit & IPV4_ONLY_QUIRKS) !== 0) this.fail(`quirk '${q}' is not valid for IPv6`);
        if (ver === 4 && (bit & IPV6_ONLY_QUIRKS) !== 0) this.fail(`quirk '${q}' is not valid for IPv4`);
        quirks |= bit;
      }
    }
    const pclass = pclassT === '*' ? -1 : pclassT === '0' ? 0 : pclassT === '+' ? 1 : this.fail(`payload class must be 0, + or *, got ${JSON.stringify(pclassT)}`);
    const label = this.label!;
    return { line: this.lineNo, label, ver, ittl, badTtl, olen, mss, winType, win, scale, layout, eolPad, quirks, pclass, generic: label.type === 'g' };
  }

  private parseLayout(text: string): { layout: number[]; eolPad: number } {
    const layout: number[] = [];
    let eolPad = 0;
    if (text.length === 0) return { layout, eolPad };
    const items = text.split(',');
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      const eol = /^eol\+(\d+)$/.exec(it);
      if (eol !== null) {
        if (i !== items.length - 1) this.fail('EOL must be the last option');
        eolPad = this.int(eol[1], 'EOL padding', 0, MAX_TTL);
        layout.push(TCPOPT_EOL);
        continue;
      }
      const unk = /^\?(\d+)$/.exec(it);
      if (unk !== null) {
        layout.push(this.int(unk[1], "'?' option number", 0, MAX_TTL));
        continue;
      }
      const kind = OPT_NAMES[it];
      if (kind === undefined) this.fail(`unknown TCP option ${JSON.stringify(it)}`);
      layout.push(kind);
    }
    if (layout.length > MAX_TCP_OPT) this.fail(`more than ${MAX_TCP_OPT} TCP options`);
    return { layout, eolPad };
  }

  private parseHttpSig(val: string, order: number): HttpSignature {
    const m = /^([01*]):(.*)$/.exec(val);
    if (m === null) this.fail('HTTP signature must start with version 0, 1 or *');
    const ver = m[1] === '*' ? -1 : Number(m[1]);
    let rest = m[2];
    const headers: HttpHeaderSpec[] = [];
    // horder: comma list of [?]Name[=[value]]; values may contain commas, so scan by hand.
    let i = 0;
    while (i < rest.length && rest[i] !== ':') {
      const optional = rest[i] === '?';
      if (optional) i++;
      let j = i;
      while (j < rest.length && /[A-Za-z0-9_-]/.test(rest[j])) j++;
      const name = rest.slice(i, j);
      if (name.length === 0) this.fail(`malformed header name at ${JSON.stringify(rest.slice(i, i + 20))}`);
      const spec: HttpHeaderSpec = { name, optional };
      if (rest[j] === '=') {
        if (rest[j + 1] !== '[') this.fail("missing '[' after '='");
        const close = rest.indexOf(']', j + 2);
        if (close < 0 || close === j + 2) this.fail(`malformed value for header ${name}`);
        spec.value = rest.slice(j + 2, close);
        j = close + 1;
      }
      headers.push(spec);
      if (headers.length > HTTP_MAX_HDRS) this.fail(`more than ${HTTP_MAX_HDRS} headers`);
      if (rest[j] === ',') j++;
      else if (rest[j] !== ':') this.fail(`expected ',' or ':' after header ${name}`);
      i = j;
    }
    if (i >= rest.length) this.fail('HTTP signature needs ver:horder:habsent:expsw');
    rest = rest.slice(i + 1);
    const colon = rest.indexOf(':');
    if (colon < 0) this.fail('HTTP signature needs ver:horder:habsent:expsw');
    const absentT = rest.slice(0, colon);
    const sw = rest.slice(colon + 1);
    if (sw.includes(':')) this.fail('expected software string must not contain ":"');
    const absent: string[] = [];
    if (absentT.length > 0) {
      for (const a of absentT.split(',')) {
        if (!HEADER_NAME_RE.test(a)) this.fail(`malformed absent header ${JSON.stringify(a)}`);
        absent.push(a);
      }
    }
    const label = this.label!;
    const sig: HttpSignature = { line: this.lineNo, label, ver, headers, absent, generic: label.type === 'g', order };
    if (sw.length > 0) sig.sw = sw;
    return sig;
  }
}

/** Parses p0f.fp text; throws a KnowledgeError naming the line of the first malformed entry. */
export function parseP0f(text: string, file: string): P0fDatabase {
  return new Parser(file).parse(text);
}

export function loadP0f(dir: string): P0fDatabase {
  const { text, file } = readFeedText(dir, P0F_FILE);
  return parseP0f(text, file);
}

/** p0f's display form of a label: "Linux 3.11 and newer", "Mac OS X". */
export function labelText(l: P0fLabel): string {
  return l.flavor.length > 0 ? `${l.name} ${l.flavor}` : l.name;
}
