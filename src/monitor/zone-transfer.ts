// DNS zone transfers to hosts that are not secondaries. An AXFR (or IXFR) answered sends every
// name and address of a zone — for a hospital's internal zone, the map of its PACS, modalities,
// pump gateways and interface engines. Secondaries pull zones by design; anyone else asking is
// reconnaissance (dig axfr, nmap's dns-zone-transfer), and a server that answers has its
// transfers open to all. A requester is a secondary when `dnsSecondaries` lists it, or — without
// the list — when it answers DNS queries itself (a secondary pulls its zones when it starts,
// before it answers anything: the judgement waits AXFR_GRACE_SECS, all at the end of input).
// A transfer sent: medium; one refused: low (the restriction held; someone still tried). One
// alert per (requester, server) episode, naming the zones; the requester is the device.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence, Severity } from '../report/model.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { NetSet } from './net.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { episodeEntry } from './window.js';
import { evictOldest } from '../util/evict.js';

/** How long a requester has to show it is a DNS server (answer a query) before it is judged. */
export const AXFR_GRACE_SECS = 3600;
const QTYPE_AXFR = 252;
const QTYPE_IXFR = 251;
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];
const MAX_SERVERS = 16_384;
const MAX_PENDING = 4096;
const MAX_ZONES_NAMED = 8;

interface Pending {
  client: string;
  clientMac: number;
  server: string;
  zone: string;
  kind: string;
  sent: boolean;
  rcode: number;
  records: number;
  deadline: number;
  evidence: Evidence;
}

export class ZoneTransferDetector {
  private readonly listed: NetSet;
  private readonly hasList: boolean;
  /** Addresses seen answering DNS queries (DNS servers), with when first. */
  private readonly servers = new Map<string, number>();
  private readonly pending: Pending[] = [];
  /** `client|server` → the zones its open alert names */
  private readonly episodes = new Map<string, string[]>();

  constructor(private readonly ctx: DetectorContext) {
    this.listed = new NetSet(ctx.cfg.dnsSecondaries);
    this.hasList = ctx.cfg.dnsSecondaries.length > 0;
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || ev.type !== 'dns.transaction' || ev.netbios === true || ev.opcode !== 0) return;
    if (typeof ev.reply_packet === 'number') {
      const server = respAddr(c);
      if (!this.servers.has(server)) {
        if (this.servers.size >= MAX_SERVERS) evictOldest(this.servers);
        this.servers.set(server, m.ts);
      }
    }
    if ((ev.qtype !== QTYPE_AXFR && ev.qtype !== QTYPE_IXFR) || typeof ev.rcode !== 'number' || ev.reply_only === true) return;
    const client = origAddr(c);
    if (this.hasList && this.listed.hasAddr(client)) return;
    const records = Array.isArray(ev.answers) ? ev.answers.length : 0;
    const sent = ev.rcode === 0 && records > 0;
    const kind = ev.qtype === QTYPE_AXFR ? 'AXFR' : 'IXFR';
    const zone = typeof ev.query === 'string' ? ev.query : '?';
    const rc = RCODES[ev.rcode] ?? `rcode ${ev.rcode}`;
    const e = eventEvidence('zone-transfer', `${kind} of ${zone} from ${client} to ${respAddr(c)}: ${sent ? `sent (${records} records in the first message)` : `${rc}`}`, 'dns.qtype', ev, c, m, eventFile(this.ctx, ev, c, m));
    if (this.pending.length >= MAX_PENDING) this.pending.shift();
    this.pending.push({ client, clientMac: c.origMac, server: respAddr(c), zone, kind, sent, rcode: ev.rcode, records, deadline: m.ts + (this.hasList ? 0 : AXFR_GRACE_SECS), evidence: e });
  }

  /**
   * Transfers whose grace has passed (all of them at the end of input): raised unless the
   * requester answered DNS queries meanwhile. The alert is dated by its evidence.
   */
  resolve(now: number, all: boolean): void {
    let kept = 0;
    for (const p of this.pending) {
      if (!all && p.deadline > now) {
        this.pending[kept++] = p;
        continue;
      }
      if (!this.hasList && this.servers.has(p.client)) continue;
      this.raise(p);
    }
    this.pending.length = kept;
  }

  private raise(p: Pending): void {
    const key = `${p.client}|${p.server}`;
    const zones = episodeEntry(this.ctx.book.get('zone-transfer', key) !== undefined, this.episodes, key, this.ctx.cfg.maxSources, (): string[] => []);
    const item = `${p.zone} (${p.kind}, ${p.sent ? 'sent' : `refused: ${RCODES[p.rcode] ?? p.rcode}`})`;
    if (!zones.includes(item) && zones.length < MAX_ZONES_NAMED) zones.push(item);
    const severity: Severity = p.sent ? 'medium' : 'low';
    const who = this.hasList ? `not one of the dnsSecondaries (${this.ctx.cfg.dnsSecondaries.join(', ')})` : `neither a listed secondary (dnsSecondaries) nor a DNS server itself (it answered no query within ${AXFR_GRACE_SECS / 3600} h)`;
    this.ctx.book.observe({
      rule: 'zone-transfer',
      key,
      device: this.ctx.deviceId(p.client, p.clientMac === 0 ? null : formatMac(p.clientMac)),
      peer: p.server,
      ts: p.evidence.ts,
      severity,
      why: `${p.client}, ${who}, asked the DNS server ${p.server} for zone transfers: ${zones.join('; ')}. A zone sent lists every name and address in it — for an internal zone, the map of the site's devices (reconnaissance: dig axfr, nmap's dns-zone-transfer); one refused shows the server's restriction held against someone who tried`,
      evidence: [p.evidence],
    });
  }

  size(): number {
    return this.servers.size + this.pending.length + this.episodes.size;
  }
}
