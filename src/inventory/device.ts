// One report Device from one identity draft: its facts (observed and derived), OS, category,
// vendor, model, names, services, protocols, software and bounded evidence.
import { formatMac } from '../decode/packet.js';
import type { KnowledgeBase } from '../knowledge/kb.js';
import { MEDICAL_CATEGORIES, type Device } from '../report/model.js';
import { compareIp } from './addr.js';
import { classify } from './classify.js';
import { bannerFacts, hostFacts, hostnameFacts, ouiFacts, serviceText, dhcpFacts, type Emit } from './derive.js';
import { selectEvidence } from './evidence.js';
import { cleanValue, type Fact } from './facts.js';
import type { DhcpFingerprint, DnsName } from './observe-ctx.js';
import { pickHostnames } from './hostnames.js';
import type { DeviceDraft } from './identity.js';
import { fuseOs } from './os.js';
import type { Rule } from './rules.js';

export const MAX_SERVICES = 32;
export const MAX_PROTOCOLS = 24;
export const MAX_SOFTWARE = 16;
/** OS confidence below which rules do not see os.* (a TTL-only guess is 0.15–0.2). */
const MIN_OS_CONFIDENCE_FOR_RULES = 0.3;
/** Services that only a Windows Server edition offers (a domain controller's Kerberos and LDAP GC). */
const SERVER_ONLY_PORTS = new Set([88, 3268, 3269]);

export interface DeviceContext {
  kb: KnowledgeBase;
  rules: readonly Rule[];
  asOf: string;
  maxEvidence: number;
  facts: (subject: string) => readonly Fact[];
  fingerprints: (subject: string) => readonly DhcpFingerprint[];
  dnsName: (ip: string) => DnsName | undefined;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const round2 = (x: number): number => Math.round(x * 100) / 100;

export function buildDevice(d: DeviceDraft, x: DeviceContext): Device {
  // Observed facts are unique per subject; only a device merged from several needs a check.
  // Derived facts use sources no event handler uses, so they are checked among themselves only.
  let facts: Fact[];
  if (d.subjects.length === 1) facts = x.facts(d.subjects[0]).slice();
  else {
    facts = [];
    const keys = new Set<string>();
    for (const s of d.subjects) {
      for (const f of x.facts(s)) {
        const k = `${f.fact}\u0000${f.source}\u0000${f.value}`;
        if (keys.has(k)) continue;
        keys.add(k);
        facts.push(f);
      }
    }
  }
  let seq = 0;
  for (const f of facts) if (f.seq >= seq) seq = f.seq + 1;
  const derivedKeys = new Set<string>();
  const emit: Emit = (f, file, packet, ts) => {
    const value = cleanValue(f.value);
    if (value === '') return;
    const k = `${f.fact}\u0000${f.source}\u0000${value}`;
    if (derivedKeys.has(k)) return;
    derivedKeys.add(k);
    const fact: Fact = { fact: f.fact, value, source: f.source, file, packet, ts: round6(ts), self: f.self !== false, seq: seq++ };
    if (f.os !== undefined) fact.os = f.os;
    facts.push(fact);
  };

  const hosts = d.hosts.length > 1 ? [...d.hosts].sort((a, b) => compareIp(a.ip, b.ip)) : d.hosts;
  if (d.mac !== null) {
    const o = d.macObs;
    const first = o !== null && o.firstFile !== '' ? { file: o.firstFile, packet: o.firstPacket, ts: o.first } : earliest(facts, hosts);
    if (o !== null && o.firstFile !== '') emit({ fact: 'mac', value: formatMac(d.mac), source: 'eth.src' }, o.firstFile, o.firstPacket, o.first);
    ouiFacts(x.kb, d.mac, emit, first);
    if (d.router !== null) emit({ fact: 'role', value: 'router', source: 'identity.router' }, first.file, first.packet, first.ts);
    const fw = d.forwarded;
    if (fw !== null) emit({ fact: 'forwards_for', value: `${fw.ip} (TTL ${fw.syn.ttl}, sent with ${fw.initial})`, source: 'ip.ttl' }, fw.syn.file, fw.syn.packet, fw.syn.ts);
  }
  for (const h of hosts) {
    if (h.firstFile !== '') emit({ fact: 'ip', value: h.ip, source: 'ip.src' }, h.firstFile, h.firstPacket, h.first);
    if (d.via !== null && h.firstFile !== '') emit({ fact: 'gateway_mac', value: formatMac(d.via), source: 'identity.router' }, h.firstFile, h.firstPacket, h.first);
    hostFacts(x.kb, h, emit);
  }
  for (const ip of d.ips) {
    const n = x.dnsName(ip);
    if (n !== undefined) emit({ fact: 'hostname', value: n.name, source: n.source, self: false }, n.file, n.packet, n.ts);
  }
  for (const s of d.subjects) dhcpFacts(x.kb, x.fingerprints(s), emit);
  // Both read the facts observed so far while emit() appends derived ones: one copy for both.
  const observed = facts.slice();
  bannerFacts(x.kb, observed, emit);
  hostnameFacts(observed, emit);

  const services = new Map<number, string>();
  const protocols = new Set<string>();
  const vlans = new Set<number>();
  let first = Infinity;
  let last = -Infinity;
  for (const h of hosts) {
    if (h.services !== null) for (const s of h.services.values()) {
      const k = s.proto * 65536 + s.port;
      const t = serviceText(s.proto, s.port, s.name);
      const prev = services.get(k);
      if (prev === undefined || prev.length < t.length) services.set(k, t);
    }
    if (h.protocols !== null) for (const p of h.protocols) for (const x2 of p.split(',')) if (x2 !== '') protocols.add(x2.toLowerCase());
    if (h.vlans !== null) for (const v of h.vlans) vlans.add(v);
    if (h.first < first) first = h.first;
    if (h.last > last) last = h.last;
  }
  if (d.macObs !== null) {
    if (d.macObs.first < first) first = d.macObs.first;
    if (d.macObs.last > last) last = d.macObs.last;
  }
  for (const f of facts) {
    if (f.fact === 'protocol') protocols.add(f.value.toLowerCase());
    if (f.ts < first) first = f.ts;
    if (f.ts > last) last = f.ts;
  }

  const serverHint = facts.some((f) => f.fact === 'role' && f.value === 'domain-controller') || [...services.keys()].some((k) => Math.floor(k / 65536) === 6 && SERVER_ONLY_PORTS.has(k % 65536));
  const { os, used: osUsed } = fuseOs(x.kb, facts, { serverHint, asOf: x.asOf });

  const extra: [string, string][] = [];
  for (const p of [...protocols].sort()) extra.push(['protocol', p]);
  // An OS known only from a TTL guess (or a lone weak hint) says too little to classify on.
  if (os !== null && (os.confidence ?? 0) >= MIN_OS_CONFIDENCE_FOR_RULES) {
    extra.push(['os.family', os.family], ['os.name', os.name]);
    if (os.version !== null) extra.push(['os.version', os.version]);
    if (/Server/.test(os.name) && !/ or /.test(os.name)) extra.push(['os.server', 'true']);
  }
  if (d.mac === null) extra.push(['identity.key', 'ip']);
  const serviceList = [...services.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  const cls = classify(x.rules, facts, extra, () => summary(serviceList, [...protocols].sort(), facts));
  const used = new Set<Fact>([...cls.used, ...osUsed]);

  const software: string[] = [];
  for (const f of facts) if (f.fact === 'software' && !software.includes(f.value) && software.length < MAX_SOFTWARE) software.push(f.value);
  software.sort();
  const osConf = os?.confidence ?? 0;
  const vendorConf = cls.vendor === null ? 0 : 1;
  const device: Device = {
    id: d.id,
    mac: d.mac !== null ? formatMac(d.mac) : null,
    ips: d.ips.size > 1 ? [...d.ips].sort(compareIp) : [...d.ips],
    hostnames: pickHostnames(facts),
    vendor: cls.vendor,
    model: cls.model,
    category: cls.category,
    category_reason: cls.reason,
    medical: MEDICAL_CATEGORIES.has(cls.category),
    os,
    software,
    services: serviceList.slice(0, MAX_SERVICES),
    protocols: [...protocols].sort().slice(0, MAX_PROTOCOLS),
    risk: { score: 0, level: 'low', factors: [] },
    evidence: selectEvidence(facts, used, x.maxEvidence),
    confidence: round2(0.5 * cls.confidence + 0.25 * vendorConf + 0.25 * osConf),
  };
  if (Number.isFinite(first)) device.first_seen = round6(first);
  if (Number.isFinite(last)) device.last_seen = round6(last);
  if (vlans.size > 0) device.vlans = [...vlans].sort((a, b) => a - b);
  return device;
}

function earliest(facts: readonly Fact[], hosts: readonly { firstFile: string; firstPacket: number; first: number }[]): { file: string; packet: number; ts: number } {
  let best: { file: string; packet: number; ts: number } = { file: '', packet: 0, ts: 0 };
  let t = Infinity;
  for (const f of facts) if (f.ts < t) (t = f.ts), (best = { file: f.file, packet: f.packet, ts: f.ts });
  for (const h of hosts) if (h.firstFile !== '' && h.first < t) (t = h.first), (best = { file: h.firstFile, packet: h.firstPacket, ts: h.first });
  return best;
}

/** What was seen of a device no rule classified, for category_reason. */
function summary(services: readonly string[], protocols: readonly string[], facts: readonly Fact[]): string {
  const parts: string[] = [];
  if (services.length > 0) parts.push(`services ${services.slice(0, 4).join(', ')}`);
  if (protocols.length > 0) parts.push(`protocols ${protocols.slice(0, 6).join(', ')}`);
  const v = facts.find((f) => f.fact === 'vendor');
  if (v !== undefined) parts.push(`vendor ${v.value}`);
  if (parts.length === 0) {
    const kinds = [...new Set(facts.map((f) => f.fact))].sort();
    parts.push(kinds.length > 0 ? `only ${kinds.slice(0, 6).join(', ')}` : 'traffic without any identifying protocol');
  }
  return parts.join('; ');
}
