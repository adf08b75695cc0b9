// Data carried in DNS names (ATT&CK T1071.004 command and control, T1048.003 exfiltration over
// DNS): iodine, dnscat2, DNSExfiltrator and malware encode their payload in the labels of queries
// to one domain they control, so one client asks for a stream of long, never-repeating names
// under it. Ordinary lookups repeat a few names, or vary short labels (CDN shards, load
// balancers). Per client and domain, in a window: the distinct queries whose left part (the
// labels below the domain) is long enough to carry data; past a threshold, one alert. The domain
// is the name's last two labels, or its first label when the last is no top-level domain
// (dnscat2 talking to its server directly: "dnscat.<hex>.<hex>"). Reputation services that look
// up hashes in DNS (antivirus) are allowed by name (dnsTunnelAllow).
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence } from '../report/model.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { formatMac } from '../decode/packet.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { windowEntry } from './window.js';

const DNS_PORT = 53;
/** Names remembered per (client, domain) window: enough to count to any sane threshold. */
const MAX_NAMES = 256;
const MAX_KEYS = 10_000;
const EVIDENCE = 3;
/** A top-level domain: letters only (IDN TLDs are punycode "xn--…", also allowed). */
export const TLD = /^(?:[a-z]{2,24}|xn--[a-z0-9-]{1,59})$/i;

interface Tunnel {
  first: number;
  names: Set<string>;
  bytes: number;
  server: string;
  mac: string | null;
  evidence: Evidence[];
}

/** The domain a name belongs to for this detector, and the part below it. */
export function splitName(name: string): { domain: string; payload: string } | null {
  const labels = name.toLowerCase().split('.').filter((l) => l !== '');
  if (labels.length < 3) return null;
  const last = labels[labels.length - 1];
  if (last === 'arpa' || last === 'local') return null;
  if (TLD.test(last)) return { domain: labels.slice(-2).join('.'), payload: labels.slice(0, -2).join('') };
  return { domain: labels[0], payload: labels.slice(1).join('') };
}

export class DnsTunnelDetector {
  private readonly keys = new Map<string, Tunnel>();
  private readonly allow: string[];
  evicted = 0;

  constructor(private readonly ctx: DetectorContext) {
    this.allow = ctx.cfg.dnsTunnelAllow.map((d) => d.toLowerCase().replace(/^\.+/, ''));
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type !== 'dns.transaction' || c === null || c.rPort !== DNS_PORT || typeof ev.query !== 'string') return;
    const query = ev.query;
    const cfg = this.ctx.cfg;
    // Most names are short: a payload of dnsTunnelMinChars needs a longer name, so no split.
    if (query.length < cfg.dnsTunnelMinChars + 4) return;
    const s = splitName(query);
    if (s === null || s.payload.length < cfg.dnsTunnelMinChars) return;
    const lower = query.toLowerCase();
    for (let i = 0; i < this.allow.length; i++) {
      const a = this.allow[i];
      // the domain itself, or a name below it ("….sophosxl.net")
      if (s.domain === a || (lower.endsWith(a) && lower.charCodeAt(lower.length - a.length - 1) === 0x2e)) return;
    }
    if (!this.ctx.internal.has(c.o0, c.o1, c.o2, c.o3)) return;
    const client = origAddr(c);
    const key = `${client}|${s.domain}`;
    const w = windowEntry(this.keys, key, m.ts, cfg.dnsTunnelWindowSecs, MAX_KEYS, () => ({ first: m.ts, names: new Set<string>(), bytes: 0, server: respAddr(c), mac: c.origMac === 0 ? null : formatMac(c.origMac), evidence: [] }));
    if (w.evicted) this.evicted++;
    const t = w.entry;
    if (t.names.has(s.payload) || t.names.size >= MAX_NAMES) return;
    t.names.add(s.payload);
    t.bytes += s.payload.length;
    if (t.evidence.length < EVIDENCE) t.evidence.push(eventEvidence('dns-query', query.slice(0, 120), 'dns.query', ev, c, m, eventFile(this.ctx, ev, c, m)));
    if (t.names.size < cfg.dnsTunnelQueries) return;
    this.ctx.book.observe({
      rule: 'dns-tunnel',
      key,
      device: this.ctx.deviceId(client, t.mac),
      peer: t.server,
      ts: m.ts,
      why: `${client} sent ${t.names.size} different queries carrying ${t.bytes} characters of encoded data below ${s.domain} within ${Math.round(cfg.dnsTunnelWindowSecs / 60)} minutes (through ${t.server}): a DNS tunnel or data leaving the network in DNS names`,
      evidence: t.evidence.slice(),
    });
  }

  size(): number {
    return this.keys.size;
  }
}
