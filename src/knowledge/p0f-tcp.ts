// p0f v3 TCP SYN / SYN+ACK matching, per p0f's README section 5 ("TCP signatures") and its
// matching rules:
// - the option layout (and EOL padding, and IP option length) must match exactly;
// - quirks must match, except that 'df' and 'id+' may disappear and 'id-' and 'ecn' may appear,
//   which makes the match fuzzy; quirks of the other IP version are ignored for '*' signatures;
// - the observed TTL must be at most the signature's initial TTL and at most 35 hops below it
//   (MAX_DIST), otherwise the match is fuzzy; 'N-' signatures (random TTL tools) only need TTL <= N;
// - mss, scale and payload class are literal or '*';
// - window size is literal, '*', '%N' (a multiple of N), or 'mss*N' / 'mtu*N' where the observed
//   window is N times the MSS (or MSS-12 with timestamps, or 1460/1448 for a 1500 MTU …) or N
//   times the MTU;
// - the first exact specific signature wins; else the first exact generic one; else the first
//   fuzzy one, except for application ('!') signatures, which are never matched fuzzily.
import {
  IPV4_ONLY_QUIRKS,
  IPV6_ONLY_QUIRKS,
  labelText,
  layoutKey,
  MAX_TCP_OPT,
  P0F_QUIRKS,
  QUIRK_BIT,
  TCPOPT_EOL,
  TCPOPT_MSS,
  TCPOPT_NOP,
  TCPOPT_SACK,
  TCPOPT_SOK,
  TCPOPT_TS,
  TCPOPT_WS,
  type P0fDatabase,
  type P0fQuirk,
  type TcpSignature,
} from './p0f.js';

/** What p0f looks at in a SYN or SYN+ACK. */
export interface TcpObservation {
  ver: 4 | 6;
  ttl: number;
  /** IPv4 option bytes (0 for IPv6, as in p0f). */
  olen: number;
  /** MSS option value, 0 when absent (as p0f records it). */
  mss: number;
  win: number;
  /** Window scale option value, 0 when absent. */
  wscale: number;
  /** p0f option layout, e.g. "mss,nop,ws,nop,nop,sok" or "mss,sok,ts,nop,ws,eol+1". */
  olayout: string;
  quirks: ReadonlySet<string>;
  payloadClass: 0 | 1;
  /** SYN+ACK (p0f's [tcp:response]) rather than SYN. */
  isResponse: boolean;
  /** IP + TCP header bytes; derived from olen and the layout when absent. */
  totHdr?: number;
  /** For a SYN+ACK: the MSS the client offered in its SYN (some servers size the window on it). */
  synMss?: number;
}

export interface TcpMatch {
  label: { type: 's' | 'g'; class: string; name: string; flavor: string };
  /** "Linux 3.11 and newer", as p0f prints it. */
  os: string;
  /** True for application ('!') signatures such as NMap. */
  app: boolean;
  /** Hops from the sender: initial TTL minus observed TTL (or a guess when out of range). */
  distance: number;
  fuzzy: boolean;
  generic: boolean;
  /** The signature is for a random-TTL tool: the distance is an upper bound. */
  badTtl: boolean;
  /**
   * Fuzzy because the observed TTL cannot have started at the signature's (above it, or more than
   * MAX_DIST hops below: a TTL of 64 is no Windows stack's 128 on a local network).
   */
  ttlMismatch: boolean;
  /** Line of the matching signature in p0f.fp. */
  line: number;
}

/** Largest TTL distance for a non-fuzzy match (MAX_DIST in p0f's config.h). */
export const MAX_DIST = 35;
/** Smallest IPv4+TCP and IPv6+TCP headers (MIN_TCP4 / MIN_TCP6). */
const MIN_TCP4 = 40;
const MIN_TCP6 = 60;
const IPV4_HDR = 20;
const IPV6_HDR = 40;
const TCP_HDR = 20;
const ETHERNET_MTU = 1500;
/** Bytes some stacks take off the MSS when timestamps are on (the 12-byte TS option + padding). */
const TS_OVERHEAD = 12;
const MIN_MSS_FOR_MULTI = 100;
/** p0f-sendsyn's probe MSS, which servers echo; p0f prints it as '*' in SYN+ACK signatures. */
const SPECIAL_MSS = 1331;
const COMMON_TTLS = [32, 64, 128] as const;
const MAX_TTL = 255;
const OPT_LEN: Record<number, number> = { [TCPOPT_NOP]: 1, [TCPOPT_EOL]: 1, [TCPOPT_MSS]: 4, [TCPOPT_WS]: 3, [TCPOPT_SOK]: 2, [TCPOPT_TS]: 10 };
const OPT_NAME: Record<number, string> = { [TCPOPT_NOP]: 'nop', [TCPOPT_MSS]: 'mss', [TCPOPT_WS]: 'ws', [TCPOPT_SOK]: 'sok', [TCPOPT_SACK]: 'sack', [TCPOPT_TS]: 'ts' };
const OPT_KIND: Record<string, number> = { nop: TCPOPT_NOP, mss: TCPOPT_MSS, ws: TCPOPT_WS, sok: TCPOPT_SOK, sack: TCPOPT_SACK, ts: TCPOPT_TS };

/** Distance to the nearest common initial TTL at or above `ttl` (p0f's guess for unknown stacks). */
export function guessDistance(ttl: number): number {
  for (const t of COMMON_TTLS) if (ttl <= t) return t - ttl;
  return MAX_TTL - ttl;
}

export interface ParsedLayout {
  layout: number[];
  eolPad: number;
}

/** Parses an observation's option layout string; throws TypeError on an unknown option name. */
export function parseLayout(olayout: string): ParsedLayout {
  const layout: number[] = [];
  let eolPad = 0;
  if (olayout.length === 0) return { layout, eolPad };
  for (const it of olayout.split(',')) {
    if (it.startsWith('eol+')) {
      layout.push(TCPOPT_EOL);
      eolPad = Number(it.slice(4));
      continue;
    }
    if (it.startsWith('?')) {
      layout.push(Number(it.slice(1)));
      continue;
    }
    const k = OPT_KIND[it];
    if (k === undefined) throw new TypeError(`unknown TCP option ${JSON.stringify(it)} in layout`);
    layout.push(k);
  }
  return { layout: layout.slice(0, MAX_TCP_OPT), eolPad };
}

/** Formats option kinds back into p0f's layout notation. */
export function formatLayout(layout: readonly number[], eolPad: number): string {
  return layout.map((k) => (k === TCPOPT_EOL ? `eol+${eolPad}` : OPT_NAME[k] ?? `?${k}`)).join(',');
}

export function quirkMask(quirks: ReadonlySet<string>): number {
  let q = 0;
  for (const name of quirks) {
    const bit = (QUIRK_BIT as Record<string, number>)[name];
    if (bit === undefined) throw new TypeError(`unknown p0f quirk ${JSON.stringify(name)}`);
    q |= bit;
  }
  return q;
}

function headerBytes(obs: TcpObservation, p: ParsedLayout): number {
  if (obs.totHdr !== undefined) return obs.totHdr;
  let opt = 0;
  for (const k of p.layout) opt += OPT_LEN[k] ?? 2;
  opt += p.eolPad;
  return (obs.ver === 4 ? IPV4_HDR + obs.olen : IPV6_HDR) + TCP_HDR + opt;
}

/**
 * Window size as a multiple of the MSS or MTU, in p0f's order of preference, or -1. `mtu` tells
 * which one it was.
 */
export function windowMultiplier(obs: TcpObservation, p: ParsedLayout): { multi: number; mtu: boolean } {
  const win = obs.win;
  const mss = obs.mss;
  const none = { multi: -1, mtu: false };
  if (win === 0 || mss < MIN_MSS_FOR_MULTI) return none;
  const hasTs1 = p.layout.includes(TCPOPT_TS) && !obs.quirks.has('ts1-');
  const tries: [number, boolean][] = [[mss, false]];
  if (hasTs1) tries.push([mss - TS_OVERHEAD, false]);
  tries.push([ETHERNET_MTU - MIN_TCP4, false], [ETHERNET_MTU - MIN_TCP4 - TS_OVERHEAD, false]);
  if (obs.ver === 6) tries.push([ETHERNET_MTU - MIN_TCP6, false], [ETHERNET_MTU - MIN_TCP6 - TS_OVERHEAD, false]);
  tries.push([mss + MIN_TCP4, true], [mss + headerBytes(obs, p), true]);
  if (obs.ver === 6) tries.push([mss + MIN_TCP6, true]);
  tries.push([ETHERNET_MTU, true]);
  if (obs.synMss !== undefined && obs.synMss > 0) tries.push([obs.synMss, false], [obs.synMss - TS_OVERHEAD, false]);
  for (const [div, mtu] of tries) {
    if (div > 0 && win % div === 0) return { multi: win / div, mtu };
  }
  return none;
}

function toMatch(sig: TcpSignature, obs: TcpObservation, fuzzy: boolean, distance: number, ttlMismatch = false): TcpMatch {
  const l = sig.label;
  return {
    label: { type: l.type, class: l.class, name: l.name, flavor: l.flavor },
    os: labelText(l),
    app: l.class === '!',
    distance,
    fuzzy,
    generic: sig.generic,
    badTtl: sig.badTtl,
    ttlMismatch,
    line: sig.line,
  };
}

/** Matches a SYN (or SYN+ACK when obs.isResponse) against p0f.fp; null when nothing matches. */
export function matchTcp(db: P0fDatabase, obs: TcpObservation): TcpMatch | null {
  const parsed = parseLayout(obs.olayout);
  const candidates = db.tcp[obs.isResponse ? 1 : 0].get(layoutKey(parsed.layout));
  if (candidates === undefined) return null;
  const quirks = quirkMask(obs.quirks);
  const { multi, mtu } = windowMultiplier(obs, parsed);
  let generic: TcpSignature | null = null;
  let fuzzyMatch: TcpSignature | null = null;
  for (const sig of candidates) {
    let fuzzy = false;
    let refQuirks = sig.quirks;
    if (sig.ver === -1) refQuirks &= ~(obs.ver === 4 ? IPV6_ONLY_QUIRKS : IPV4_ONLY_QUIRKS);
    if (refQuirks !== quirks) {
      const deleted = (refQuirks ^ quirks) & refQuirks;
      const added = (refQuirks ^ quirks) & quirks;
      if (fuzzyMatch !== null) continue;
      if ((deleted & ~(QUIRK_BIT.df | QUIRK_BIT['id+'])) !== 0) continue;
      if ((added & ~(QUIRK_BIT['id-'] | QUIRK_BIT.ecn)) !== 0) continue;
      fuzzy = true;
    }
    if (sig.eolPad !== parsed.eolPad || sig.olen !== obs.olen) continue;
    if (sig.badTtl) {
      if (sig.ittl < obs.ttl) continue;
    } else if (sig.ittl < obs.ttl || sig.ittl - obs.ttl > MAX_DIST) {
      fuzzy = true;
    }
    if (sig.mss !== -1 && sig.mss !== obs.mss) continue;
    if (sig.scale !== -1 && sig.scale !== obs.wscale) continue;
    if (sig.pclass !== -1 && sig.pclass !== obs.payloadClass) continue;
    switch (sig.winType) {
      case 'normal':
        if (sig.win !== obs.win) continue;
        break;
      case 'mod':
        if (obs.win % sig.win !== 0) continue;
        break;
      case 'mss':
        if (mtu || sig.win !== multi) continue;
        break;
      case 'mtu':
        if (!mtu || sig.win !== multi) continue;
        break;
      case 'any':
        break;
    }
    if (!fuzzy) {
      if (!sig.generic) return toMatch(sig, obs, false, sig.ittl - obs.ttl);
      if (generic === null) generic = sig;
    } else if (fuzzyMatch === null) {
      fuzzyMatch = sig;
    }
  }
  if (generic !== null) return toMatch(generic, obs, false, generic.ittl - obs.ttl);
  if (fuzzyMatch === null || fuzzyMatch.label.class === '!') return null;
  const f = fuzzyMatch;
  const inRange = f.ittl >= obs.ttl && (f.badTtl || f.ittl - obs.ttl <= MAX_DIST);
  return toMatch(f, obs, true, inRange ? f.ittl - obs.ttl : guessDistance(obs.ttl), !inRange);
}

/** The raw signature p0f prints for an observation ("raw_sig=" in its log). */
export function formatTcpSignature(obs: TcpObservation): string {
  const parsed = parseLayout(obs.olayout);
  const dist = guessDistance(obs.ttl);
  const ttl = dist > MAX_DIST ? `${obs.ttl}+?` : `${obs.ttl}+${dist}`;
  const mss = obs.isResponse && obs.mss === SPECIAL_MSS ? '*' : String(obs.mss);
  const { multi, mtu } = windowMultiplier(obs, parsed);
  const win = multi > 0 ? `${mtu ? 'mtu' : 'mss'}*${multi}` : String(obs.win);
  const quirks = P0F_QUIRKS.filter((q: P0fQuirk) => obs.quirks.has(q)).join(',');
  return `${obs.ver}:${ttl}:${obs.olen}:${mss}:${win},${obs.wscale}:${formatLayout(parsed.layout, parsed.eolPad)}:${quirks}:${obs.payloadClass === 1 ? '+' : '0'}`;
}

/** Link type p0f's [mtu] section names for the MTU implied by an MSS, or null. */
export function mtuLink(db: P0fDatabase, mss: number, ver: 4 | 6): string | null {
  if (mss <= 0) return null;
  return db.mtu.get(mss + (ver === 4 ? MIN_TCP4 : MIN_TCP6)) ?? null;
}
