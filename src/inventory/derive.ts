// Facts derived at build time from what was observed and the knowledge base: the MAC's IEEE
// vendor, services offered and TTL family from connections and SYNs, p0f matches of SYNs and
// SYN+ACKs, Satori matches of DHCP/DHCPv6 fingerprints, User-Agents, SSH identification strings,
// SMB native OS strings, HTTP Server banners and TLS fingerprints. Each derived fact cites the
// packet of the fact or observation it came from.
import { formatMac, IPPROTO_TCP, PacketMeta } from '../decode/packet.js';
import type { KnowledgeBase } from '../knowledge/kb.js';
import { synObservation } from '../knowledge/p0f-observe.js';
import type { TcpMatch, TcpObservation } from '../knowledge/p0f-tcp.js';
import type { SatoriCandidate } from '../knowledge/satori.js';
import { macKind } from '../knowledge/vendor.js';
import type { Fact, FactInput } from './facts.js';
import type { HostObs, SynSeen } from './hosts.js';
import type { DhcpFingerprint } from './observe-ctx.js';
import { hostnameClaim, p0fClaim, satoriClaim, ttlClaim } from './os-parse.js';

/** Satori base confidences per feed (added to score/50, capped at 0.7; see satoriClaim). */
const SATORI_BASE: Record<string, number> = { dhcp: 0.35, dhcpv6: 0.3, useragent: 0.3, ssh: 0.3, smb: 0.4, web: 0.25, tls: 0.15 };
/** User-Agents matched per device (a busy client sends many). */
const MAX_UA_MATCHES = 8;

export type Emit = (f: FactInput, file: string, packet: number, ts: number) => void;

function protoName(p: number): string {
  return p === 6 ? 'tcp' : p === 17 ? 'udp' : String(p);
}

export function serviceText(proto: number, port: number, name: string): string {
  return name === '' ? `${protoName(proto)}/${port}` : `${protoName(proto)}/${port} ${name}`;
}

export function ouiFacts(kb: KnowledgeBase, mac: number, emit: Emit, first: { file: string; packet: number; ts: number }): void {
  const kind = macKind(mac);
  if (kind === 'local') {
    emit({ fact: 'mac_type', value: 'locally administered (randomised or virtual)', source: 'mac.address' }, first.file, first.packet, first.ts);
    return;
  }
  const v = kb.vendorOf(mac);
  if (v !== null) emit({ fact: 'vendor', value: v.name, source: 'mac.oui' }, first.file, first.packet, first.ts);
  else emit({ fact: 'mac_type', value: `unregistered prefix ${formatMac(mac).slice(0, 8)}`, source: 'mac.oui' }, first.file, first.packet, first.ts);
}

export function hostFacts(kb: KnowledgeBase, h: HostObs, emit: Emit): void {
  if (h.services !== null) for (const s of [...h.services.values()].sort((a, b) => a.proto - b.proto || a.port - b.port)) {
    emit({ fact: 'service', value: serviceText(s.proto, s.port, s.name), source: s.name === '' ? 'conn.answered' : 'conn.service' }, s.file, s.packet, s.ts);
  }
  syn(kb, h.syn, 'p0f.syn', emit);
  syn(kb, h.synAck, 'p0f.synack', emit);
  const first = h.syn ?? h.synAck;
  if (first !== null) {
    const os = ttlClaim(first.ttl);
    if (os !== null) emit({ fact: 'ttl', value: String(first.ttl), source: 'ip.ttl', os }, first.file, first.packet, first.ts);
  }
}

const synMeta = new PacketMeta();
/** p0f matches by observation: hosts of one stack send identical SYNs (bounded memo). */
const p0fMemo = new Map<string, TcpMatch | null>();
const P0F_MEMO_MAX = 10_000;

/** The p0f observation of a kept SYN / SYN+ACK, rebuilt on a scratch packet record. */
export function synObservationOf(s: SynSeen): TcpObservation | null {
  const m = synMeta;
  m.buf = s.headers;
  m.view = new DataView(s.headers.buffer, s.headers.byteOffset, s.headers.byteLength);
  m.proto = IPPROTO_TCP;
  m.ipVersion = s.ipVersion;
  m.reassembled = false;
  m.l3Off = 0;
  m.ipHdrLen = s.ipHdrLen;
  m.l4Off = s.tcpOff;
  m.tcpHdrLen = s.tcpHdrLen;
  m.ttl = s.ttl;
  m.ipId = s.ipId;
  m.df = s.df;
  m.tos = s.tos;
  m.ipFlowLabel = s.flowLabel;
  m.tcpFlags = s.flags;
  m.seq = s.seq;
  m.ack = s.ack;
  m.window = s.window;
  m.payloadLen = s.payloadLen;
  return synObservation(m, s.synMss);
}

function syn(kb: KnowledgeBase, s: SynSeen | null, source: string, emit: Emit): void {
  if (s === null) return;
  const obs = synObservationOf(s);
  if (obs === null) return;
  const key = `${obs.ver}|${obs.ttl}|${obs.olen}|${obs.mss}|${obs.win}|${obs.wscale}|${obs.olayout}|${[...obs.quirks].sort().join(',')}|${obs.payloadClass}|${obs.isResponse}|${obs.totHdr}|${obs.synMss ?? ''}`;
  let m = p0fMemo.get(key);
  if (m === undefined) {
    m = kb.matchTcpSyn(obs);
    if (p0fMemo.size >= P0F_MEMO_MAX) p0fMemo.clear();
    p0fMemo.set(key, m);
  }
  if (m === null) return;
  if (m.app || m.label.class === '!') {
    emit({ fact: 'tool', value: m.os, source }, s.file, s.packet, s.ts);
    return;
  }
  // A match without a claim (TTL contradicts it) is kept as evidence, weighing nothing.
  const os = p0fClaim(m);
  emit(os !== null ? { fact: 'os', value: m.os, source, os } : { fact: 'os', value: m.os, source }, s.file, s.packet, s.ts);
}

function satoriFacts(cands: readonly SatoriCandidate[], kind: string, emit: Emit, at: { file: string; packet: number; ts: number }, withOs: boolean): void {
  if (cands.length === 0) return;
  const top = cands[0].score;
  const best = cands.filter((c) => c.score === top);
  const source = `satori.${kind}`;
  if (withOs) {
    const os = satoriClaim(cands, SATORI_BASE[kind] ?? 0.25);
    for (const c of best) {
      if (c.fingerprint.os.name !== '') {
        const f: FactInput = { fact: 'os', value: c.fingerprint.os.name, source };
        // The fused claim rides on the first candidate; the others are kept as evidence.
        if (os !== null && c === best.find((b) => b.fingerprint.os.name !== '')) f.os = os;
        emit(f, at.file, at.packet, at.ts);
      }
    }
  }
  // A device type only when the best candidates that name one agree on it.
  const types = [...new Set(best.map((c) => c.fingerprint.device.type).filter((t) => t !== ''))].sort();
  if (types.length === 1) emit({ fact: 'device_type', value: types[0], source }, at.file, at.packet, at.ts);
  const vendors = [...new Set(best.map((c) => c.fingerprint.device.vendor).filter((t) => t !== ''))].sort();
  if (vendors.length === 1) emit({ fact: 'manufacturer', value: vendors[0], source }, at.file, at.packet, at.ts);
  if (best.length === 1 && best[0].fingerprint.os.name === '') emit({ fact: 'fingerprint_name', value: best[0].name, source }, at.file, at.packet, at.ts);
}

export function dhcpFacts(kb: KnowledgeBase, fps: readonly DhcpFingerprint[], emit: Emit): void {
  for (const fp of fps) {
    let cands: SatoriCandidate[];
    if (fp.v6) {
      cands = kb.satori.matchDhcpv6({
        messageType: fp.messageType,
        ...(fp.options.length > 0 ? { options: fp.options } : {}),
        ...(fp.param55.length > 0 ? { optionRequest: fp.param55 } : {}),
        ...(fp.vendorClass !== undefined ? { vendorCode: fp.vendorClass } : {}),
      });
    } else {
      cands = kb.matchDhcp({
        messageType: fp.messageType as Parameters<KnowledgeBase['matchDhcp']>[0]['messageType'],
        ...(fp.options.length > 0 ? { options: fp.options } : {}),
        ...(fp.param55.length > 0 ? { param55: fp.param55 } : {}),
        ...(fp.vendorClass !== undefined ? { vendorClass: fp.vendorClass } : {}),
        ...(fp.ttl !== undefined ? { ttl: fp.ttl } : {}),
      });
    }
    // The IP TTL only breaks ties in Satori: a candidate needs an option list or vendor class hit.
    const real = cands.filter((c) => c.hits.some((h) => h.field !== 'ipttl'));
    satoriFacts(real, fp.v6 ? 'dhcpv6' : 'dhcp', emit, fp, true);
  }
}

/** Satori answers by feed and value: many devices send the same banner (bounded memo). */
const satoriMemo = new WeakMap<KnowledgeBase, Map<string, SatoriCandidate[]>>();
const SATORI_MEMO_MAX = 20_000;

function satoriMatch(kb: KnowledgeBase, source: string, value: string): SatoriCandidate[] | null {
  let memo = satoriMemo.get(kb);
  if (memo === undefined) {
    memo = new Map();
    satoriMemo.set(kb, memo);
  }
  const key = `${source}\u0000${value}`;
  let r = memo.get(key);
  if (r !== undefined) return r;
  const sat = kb.satori;
  switch (source) {
    case 'http.user_agent':
      r = sat.matchUserAgent(value);
      break;
    case 'ssh.ident':
      r = sat.matchSsh(value);
      break;
    case 'smb.native_os':
      r = sat.matchSmb({ nativeOs: value });
      break;
    case 'http.server':
      r = sat.matchHttpServer(value);
      break;
    case 'tls.ja3':
      r = sat.matchTls({ ja3: value });
      break;
    case 'tls.ja4':
      r = sat.matchTls({ ja4: value });
      break;
    default:
      return null;
  }
  if (memo.size >= SATORI_MEMO_MAX) memo.clear();
  memo.set(key, r);
  return r;
}

const SATORI_KIND: Record<string, string> = { 'http.user_agent': 'useragent', 'ssh.ident': 'ssh', 'smb.native_os': 'smb', 'http.server': 'web', 'tls.ja3': 'tls', 'tls.ja4': 'tls' };

/** Satori matches of banner facts a device already holds. */
export function bannerFacts(kb: KnowledgeBase, facts: readonly Fact[], emit: Emit): void {
  let uas = 0;
  for (const f of facts) {
    const kind = SATORI_KIND[f.source];
    if (kind === undefined || (f.source === 'http.user_agent' && uas++ >= MAX_UA_MATCHES)) continue;
    const cands = satoriMatch(kb, f.source, f.value);
    if (cands === null) continue;
    // Satori's OS for a banner only where no parser read one from it (no double counting); the
    // web server fingerprint always (it names the server's platform); TLS never (apps, not OSes).
    const withOs = kind === 'web' ? true : kind === 'tls' ? false : f.os === undefined;
    satoriFacts(cands, kind, emit, f, withOs);
  }
}

/** Own host names read for an OS (a device with many names is usually a server or a router). */
const MAX_HOSTNAME_CLAIMS = 4;

/** A host name's first label ("Lucas-iMac.local" → "Lucas-iMac"). */
export function hostLabel(name: string): string {
  const dot = name.indexOf('.');
  return (dot < 0 ? name : name.slice(0, dot)).trim();
}

/**
 * OS claims of the names a device gave itself (hostnameClaim: android-…, DESKTOP-…, an owner's
 * iPhone), each citing the packet that carried the name. Names others gave it (DNS answers, HTTP
 * Host headers) are not read: they name services as often as machines.
 */
export function hostnameFacts(facts: readonly Fact[], emit: Emit): void {
  let n = 0;
  for (const f of facts) {
    if (f.fact !== 'hostname' || !f.self) continue;
    if (++n > MAX_HOSTNAME_CLAIMS) return;
    const label = hostLabel(f.value);
    const os = hostnameClaim(label);
    if (os !== null) emit({ fact: 'os', value: os.name, source: 'hostname.pattern', os }, f.file, f.packet, f.ts);
  }
}
