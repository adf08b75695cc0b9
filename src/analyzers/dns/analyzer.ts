// Per-flow DNS state. UDP carries one message per datagram; TCP frames each message with a
// 2-byte length (RFC 1035 §4.2.2; RFC 7766), reassembled in a bounded buffer per direction.
// Queries and replies are paired by transaction id as Zeek's base/protocols/dns/main.zeek does
// (one fast-path pending query, then FIFO queues per id, bounded at 50 ids × 50 messages), and
// every pair, unanswered query or unsolicited reply becomes a `dns.transaction` event. mDNS and
// NetBIOS name service messages also yield `mdns.records` / `nbns.name` events for the inventory.
import { formatAddr, formatMac } from '../../decode/packet.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { DnsTransactionEvent, MdnsRecordsEvent, NbnsNameEvent } from './events.js';
import {
  decodeNetbiosName,
  parseDns,
  SECTION_ANSWER,
  TYPE_A,
  TYPE_A6,
  TYPE_AAAA,
  TYPE_BINDS,
  TYPE_CAA,
  TYPE_CNAME,
  TYPE_DNAME,
  TYPE_DNSKEY,
  TYPE_DS,
  TYPE_HINFO,
  TYPE_LOC,
  TYPE_MX,
  TYPE_NB,
  TYPE_NS,
  TYPE_NSEC,
  TYPE_NSEC3,
  TYPE_NSEC3PARAM,
  TYPE_OPT,
  TYPE_PTR,
  TYPE_RRSIG,
  TYPE_SOA,
  TYPE_SPF,
  TYPE_SRV,
  TYPE_SSHFP,
  TYPE_TSIG,
  TYPE_TXT,
  TYPE_WKS,
  type DnsMessage,
  type DnsRecord,
} from './parse.js';

export const PORT_DNS = 53;
export const PORT_NBNS = 137;
export const PORT_MDNS = 5353;
export const PORT_LLMNR = 5355;
/** Zeek: DNS::max_pending_msgs and DNS::max_pending_query_ids. */
const MAX_PENDING_MSGS = 50;
const MAX_PENDING_IDS = 50;
const TCP_LEN_PREFIX = 2;
const PROTO_UDP = 17;
const MAX_TCP_MESSAGE = 65535;
/** Entries kept in one inventory event. */
const MAX_ITEMS = 64;
const NB_FLAG_GROUP = 0x8000;

/** RFC 1002 §4.2.1.1 opcodes, named as Zeek's DNS::netbios_opcodes. */
export const NETBIOS_OPCODES: Record<number, string> = {
  0: 'netbios-query',
  5: 'netbios-registration',
  6: 'netbios-release',
  7: 'netbios-wack',
  8: 'netbios-refresh',
};

interface Tx {
  tsSec: number;
  tsNsec: number;
  packet: number;
  transId: number;
  rttUs?: number;
  query?: string;
  qclass?: number;
  qtype?: number;
  rcode?: number;
  AA: boolean;
  TC: boolean;
  RD: boolean;
  RA: boolean;
  Z: number;
  answers?: string[];
  TTLs?: number[];
  rejected: boolean;
  sawQuery: boolean;
  sawReply: boolean;
  nbnsName?: string;
  nbnsSuffix?: number;
  opcode: number;
  /** The first response's packet (0: none yet), time and Ethernet source, set in every Tx so its shape stays one. */
  replyPacket: number;
  replyTs: number;
  replyMac: number;
}

export class DnsAnalyzer implements FlowAnalyzer {
  private pendingQuery: Tx | null = null;
  private pendingQueries: Map<number, Tx[]> | null = null;
  private pendingReplies: Map<number, Tx[]> | null = null;
  private confirmed = false;
  private readonly tcpBuf: [Uint8Array | null, Uint8Array | null] = [null, null];
  private readonly tcpLost = [false, false];
  /** The responder's first TCP message header was checked (it must be a response). */
  private respSeen = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (ctx.conn.proto !== 6) {
      this.message(ctx, buf, off, len);
      return;
    }
    const side = isOrig ? 0 : 1;
    if (this.tcpLost[side]) return;
    let b = buf;
    let o = off;
    let l = len;
    const carry = this.tcpBuf[side];
    if (carry !== null) {
      b = new Uint8Array(carry.length + len);
      b.set(carry, 0);
      b.set(buf.subarray(off, off + len), carry.length);
      o = 0;
      l = b.length;
    }
    // A server answers with responses (QR set): a web server's "HTTP/1.0 400" answering a
    // scanner's DNS probe is no DNS, however long its first two bytes say the message is.
    if (!isOrig && !this.respSeen && l >= TCP_LEN_PREFIX + 3) {
      this.respSeen = true;
      if ((b[o + TCP_LEN_PREFIX + 2] & 0x80) === 0) {
        this.tcpBuf[side] = null;
        this.tcpLost[side] = true;
        ctx.weird('dns.tcp_not_response');
        ctx.violation?.();
        return;
      }
    }
    while (l >= TCP_LEN_PREFIX) {
      const n = (b[o] << 8) | b[o + 1];
      if (l < TCP_LEN_PREFIX + n) break;
      if (n > 0) this.message(ctx, b, o + TCP_LEN_PREFIX, n);
      o += TCP_LEN_PREFIX + n;
      l -= TCP_LEN_PREFIX + n;
    }
    // At most one partial message (≤ 64 KiB + 2) is carried over.
    this.tcpBuf[side] = l > 0 && l <= TCP_LEN_PREFIX + MAX_TCP_MESSAGE ? b.slice(o, o + l) : null;
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    // Message boundaries are lost with the bytes: stop reading this direction.
    const side = isOrig ? 0 : 1;
    this.tcpBuf[side] = null;
    this.tcpLost[side] = true;
    ctx.weird('dns.tcp_gap');
  }

  end(ctx: AnalyzerContext): void {
    if (this.pendingQuery !== null) this.emit(ctx, this.pendingQuery);
    this.pendingQuery = null;
    for (const m of [this.pendingQueries, this.pendingReplies]) {
      if (m === null) continue;
      for (const q of m.values()) for (const t of q) this.emit(ctx, t);
      m.clear();
    }
  }

  private message(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number): void {
    const c = ctx.conn;
    const netbios = c.rPort === PORT_NBNS || c.oPort === PORT_NBNS;
    const msg = parseDns(buf, off, len, { netbios });
    // A datagram the capture cut (a snap length) ends early for want of its bytes, not by damage:
    // what was read before the cut stands, and a question read whole makes it DNS.
    const p = ctx.packet;
    const cut = c.proto === PROTO_UDP && p.capPayloadLen < p.payloadLen;
    if (typeof msg === 'string') {
      if (!cut) ctx.weird('dns.truncated_len_lt_hdr_len');
      return;
    }
    if (msg.damage !== null && !cut) ctx.weird(`dns.${msg.damage}`);
    else if (!this.confirmed && (msg.damage === null || msg.questions.length > 0)) {
      this.confirmed = true;
      ctx.confirm('dns');
    }
    // Zeek tracks standard queries only; NetBIOS registrations/releases are kept too (wardline).
    if (msg.opcode === 0 || netbios) this.track(ctx, msg, netbios);
    if (c.rPort === PORT_MDNS || c.oPort === PORT_MDNS) this.mdns(ctx, msg);
    if (netbios) this.nbns(ctx, msg);
  }

  private track(ctx: AnalyzerContext, msg: DnsMessage, netbios: boolean): void {
    const p = ctx.packet;
    const cur = this.session(ctx, msg);
    if (!msg.qr) {
      for (const q of msg.questions) {
        cur.RD = msg.rd;
        cur.TC = msg.tc;
        cur.qclass = q.qclass;
        cur.qtype = q.qtype;
        cur.Z = msg.z;
        cur.query = lower(q.name);
        if (netbios) this.netbiosName(cur, q.name, true);
      }
    } else {
      const noRecords = msg.ancount === 0 && msg.nscount === 0 && msg.arcount === 0;
      for (const q of msg.questions) {
        if (noRecords) cur.rejected = true;
        if (netbios && cur.nbnsName === undefined) this.netbiosName(cur, q.name, false);
      }
      for (const r of msg.records) {
        if (r.section !== SECTION_ANSWER) continue;
        if (netbios && cur.nbnsName === undefined) this.netbiosName(cur, r.name, false);
        const reply = replyText(r, netbios);
        if (reply === null) continue;
        // Zeek's DNS::do_reply.
        cur.query ??= lower(r.name);
        cur.AA = msg.aa;
        cur.RA = msg.ra;
        if (cur.rttUs === undefined) {
          const us = (p.tsSec - cur.tsSec) * 1e6 + Math.floor(p.tsNsec / 1000) - Math.floor(cur.tsNsec / 1000);
          if (us !== 0) cur.rttUs = us;
        }
        if (reply !== '') {
          (cur.answers ??= []).push(reply);
          (cur.TTLs ??= []).push(r.ttl);
        }
      }
    }
    if (msg.qr) {
      if (cur.replyPacket === 0) {
        cur.replyPacket = p.packetNo;
        cur.replyTs = p.tsSec + p.tsNsec / 1e9;
        cur.replyMac = p.srcMac;
      }
      cur.sawReply = true;
    } else cur.sawQuery = true;
    if (cur.sawQuery && cur.sawReply) this.emit(ctx, cur);
  }

  /** `asQuery`: a question of a request, which Zeek logs as decode_netbios_name() ('' if none). */
  private netbiosName(cur: Tx, encoded: string, asQuery: boolean): void {
    const d = decodeNetbiosName(encoded);
    if (asQuery) cur.query = d === null ? '' : d.zeek;
    if (d !== null) {
      cur.nbnsName = d.name;
      cur.nbnsSuffix = d.suffix;
    }
  }

  /** Zeek's DNS::set_session: finds or creates the record this message belongs to. */
  private session(ctx: AnalyzerContext, msg: DnsMessage): Tx {
    const id = msg.id;
    let cur: Tx;
    if (!msg.qr) {
      const r = this.pendingReplies?.get(id);
      if (r !== undefined && r.length > 0) cur = this.pop(this.pendingReplies!, id);
      else {
        cur = this.newTx(ctx, msg);
        if (this.pendingQuery === null) this.pendingQuery = cur;
        else this.enqueue(ctx, (this.pendingQueries ??= new Map()), id, cur);
      }
    } else if (this.pendingQuery !== null && this.pendingQuery.transId === id) {
      cur = this.pendingQuery;
      this.pendingQuery = null;
      const pq = this.pendingQueries;
      if (pq !== null) {
        const same = pq.get(id);
        if (same !== undefined && same.length > 0) this.pendingQuery = this.pop(pq, id);
        else {
          for (const [k, q] of pq) {
            if (q.length > 0) {
              this.pendingQuery = this.pop(pq, k);
              break;
            }
          }
        }
      }
    } else {
      const q = this.pendingQueries?.get(id);
      if (q !== undefined && q.length > 0) cur = this.pop(this.pendingQueries!, id);
      else {
        cur = this.newTx(ctx, msg);
        this.enqueue(ctx, (this.pendingReplies ??= new Map()), id, cur);
      }
    }
    if (msg.qr) {
      cur.rcode = msg.rcode;
      if (msg.rcode !== 0 && msg.qdcount === 0) cur.rejected = true;
    }
    return cur;
  }

  private newTx(ctx: AnalyzerContext, msg: DnsMessage): Tx {
    const p = ctx.packet;
    return { tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, transId: msg.id, AA: false, TC: false, RD: false, RA: false, Z: 0, rejected: false, sawQuery: false, sawReply: false, opcode: msg.opcode, replyPacket: 0, replyTs: 0, replyMac: 0 };
  }

  private pop(m: Map<number, Tx[]>, id: number): Tx {
    const q = m.get(id)!;
    const t = q.shift()!;
    if (q.length === 0) m.delete(id);
    return t;
  }

  private enqueue(ctx: AnalyzerContext, m: Map<number, Tx[]>, id: number, tx: Tx): void {
    let q = m.get(id);
    if (q === undefined) {
      if (m.size > MAX_PENDING_IDS) {
        // Zeek gives up on matching: everything unmatched is logged as it is.
        for (const l of m.values()) for (const t of l) this.emit(ctx, t);
        m.clear();
      }
      q = [];
      m.set(id, q);
    } else if (q.length > MAX_PENDING_MSGS) {
      for (const t of q) this.emit(ctx, t);
      q.length = 0;
    }
    q.push(tx);
  }

  private emit(ctx: AnalyzerContext, t: Tx): void {
    const ev: DnsTransactionEvent = {
      type: 'dns.transaction',
      ts_sec: t.tsSec,
      ts_nsec: t.tsNsec,
      proto: ctx.conn.proto === 6 ? 'tcp' : 'udp',
      trans_id: t.transId,
      AA: t.AA,
      TC: t.TC,
      RD: t.RD,
      RA: t.RA,
      Z: t.Z,
      rejected: t.rejected,
      netbios: t.nbnsName !== undefined || ctx.conn.rPort === PORT_NBNS,
      opcode: t.opcode,
      packet: t.packet,
    };
    if (t.rttUs !== undefined) ev.rtt_us = t.rttUs;
    if (t.query !== undefined) ev.query = t.query;
    if (t.qclass !== undefined) ev.qclass = t.qclass;
    if (t.qtype !== undefined) ev.qtype = t.qtype;
    if (t.rcode !== undefined) ev.rcode = t.rcode;
    if (t.answers !== undefined) ev.answers = t.answers;
    if (t.TTLs !== undefined) ev.TTLs = t.TTLs;
    if (t.nbnsName !== undefined) ev.nbns_name = t.nbnsName;
    if (t.nbnsSuffix !== undefined) ev.nbns_suffix = t.nbnsSuffix;
    if (t.replyPacket !== 0) {
      ev.reply_packet = t.replyPacket;
      ev.reply_ts = t.replyTs;
      if (t.replyMac !== 0) ev.reply_mac = formatMac(t.replyMac);
      if (!t.sawQuery) ev.reply_only = true;
    }
    ctx.emit(ev);
  }

  private mdns(ctx: AnalyzerContext, msg: DnsMessage): void {
    const ev: MdnsRecordsEvent = {
      type: 'mdns.records',
      host: sender(ctx),
      is_response: msg.qr,
      hostnames: [],
      addrs: [],
      service_types: [],
      services: [],
      txt: [],
      packet: ctx.packet.packetNo,
    };
    for (const q of msg.questions) if (isServiceType(q.name)) addOnce(ev.service_types, q.name);
    for (const r of msg.records) {
      const d = r.data;
      if ((r.type === TYPE_A || r.type === TYPE_AAAA) && d.kind === 'addr') {
        addOnce(ev.hostnames, r.name);
        if (ev.addrs.length < MAX_ITEMS) ev.addrs.push({ name: r.name, addr: d.addr });
      } else if (r.type === TYPE_PTR && d.kind === 'name' && isServiceType(r.name)) {
        addOnce(ev.service_types, r.name);
        if (!ev.services.some((s) => s.instance === d.name) && ev.services.length < MAX_ITEMS) ev.services.push({ instance: d.name });
      } else if (r.type === TYPE_SRV && d.kind === 'srv') {
        const s = ev.services.find((x) => x.instance === r.name);
        if (s !== undefined) {
          s.target = d.target;
          s.port = d.port;
        } else if (ev.services.length < MAX_ITEMS) ev.services.push({ instance: r.name, target: d.target, port: d.port });
      } else if (r.type === TYPE_TXT && d.kind === 'txt' && ev.txt.length < MAX_ITEMS) {
        const keys: Record<string, string> = {};
        let n = 0;
        for (const s of d.strings) {
          if (s.text === '' || n >= MAX_ITEMS) continue;
          const eq = s.text.indexOf('=');
          const k = eq < 0 ? s.text : s.text.slice(0, eq);
          // RFC 6763 §6.4: only the first occurrence of a key counts.
          if (k === '' || Object.prototype.hasOwnProperty.call(keys, k)) continue;
          keys[k] = eq < 0 ? '' : s.text.slice(eq + 1);
          n++;
        }
        if (n > 0) ev.txt.push({ instance: r.name, keys });
      }
    }
    if (ev.hostnames.length + ev.service_types.length + ev.services.length + ev.txt.length > 0) ctx.emit(ev);
  }

  private nbns(ctx: AnalyzerContext, msg: DnsMessage): void {
    const host = sender(ctx);
    const opcodeName = NETBIOS_OPCODES[msg.opcode] ?? `netbios-opcode-${msg.opcode}`;
    const base = (encoded: string): NbnsNameEvent | null => {
      const d = decodeNetbiosName(encoded);
      if (d === null) return null;
      return { type: 'nbns.name', host, name: d.name, suffix: d.suffix, opcode_name: opcodeName, is_response: msg.qr, packet: ctx.packet.packetNo };
    };
    const withRecord = (ev: NbnsNameEvent, r: DnsRecord | undefined): NbnsNameEvent => {
      const d = r?.data;
      if (d?.kind === 'nb' && d.entries.length > 0) {
        ev.addr = d.entries[0].addr;
        ev.group = (d.entries[0].flags & NB_FLAG_GROUP) !== 0;
      } else if (d?.kind === 'nbstat') {
        ev.status_names = d.names.map((n) => n.name);
        if (d.mac !== undefined) ev.mac = d.mac;
      }
      return ev;
    };
    let n = 0;
    for (const q of msg.questions) {
      const ev = base(q.name);
      if (ev === null || n++ >= MAX_ITEMS) continue;
      ctx.emit(withRecord(ev, msg.records.find((r) => r.name === q.name)));
    }
    if (msg.questions.length > 0) return;
    // RFC 1002 responses carry no question: the answer names the subject.
    for (const r of msg.records) {
      const ev = base(r.name);
      if (ev === null || n++ >= MAX_ITEMS) continue;
      ctx.emit(withRecord(ev, r));
    }
  }
}

function sender(ctx: AnalyzerContext): string {
  const s = ctx.packet.src;
  return formatAddr(s[0], s[1], s[2], s[3]);
}

function addOnce(l: string[], v: string): void {
  if (l.length < MAX_ITEMS && !l.includes(v)) l.push(v);
}

/** DNS-SD service type names: `_service._tcp.<domain>` (RFC 6763 §7). */
function isServiceType(name: string): boolean {
  return /^(?:[^.]+\._sub\.)?_[^.]+\._(?:tcp|udp)\./i.test(name) && !name.toLowerCase().startsWith('_services._dns-sd.');
}

/** ASCII lower-casing, as Zeek normalises DNS names (UTF-8 and escapes untouched). */
function lower(s: string): string {
  return s.replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) | 0x20));
}

/**
 * The text Zeek's DNS::do_reply hook logs for an answer (main.zeek's dns_*_reply handlers):
 * '' for a record that counts as an answer without text (WKS), null for one Zeek never
 * reports (HINFO, CAA, NetBIOS NB/NBSTAT, OPT, TSIG).
 */
export function replyText(r: DnsRecord, netbios: boolean): string | null {
  const d = r.data;
  if (d.kind === 'bad') return null;
  switch (r.type) {
    case TYPE_A:
    case TYPE_AAAA:
    case TYPE_A6:
      return d.kind === 'addr' ? d.addr : `<unknown type=${r.type}>`;
    case TYPE_NS:
    case TYPE_CNAME:
    case TYPE_PTR:
      return d.kind === 'name' ? lower(d.name) : null;
    case TYPE_MX:
      return d.kind === 'mx' ? lower(d.name) : null;
    case TYPE_SOA:
      return d.kind === 'soa' ? lower(d.mname) : null;
    case TYPE_TXT:
    case TYPE_SPF: {
      if (d.kind !== 'txt') return null;
      const tag = r.type === TYPE_TXT ? 'TXT' : 'SPF';
      return d.strings.map((s) => `${tag} ${s.len} ${s.text}`).join(' ');
    }
    case TYPE_SRV:
      if (netbios) return null;
      return d.kind === 'srv' ? lower(d.target) : null;
    case TYPE_WKS:
      return '';
    case TYPE_RRSIG:
      return d.kind === 'rrsig' ? `RRSIG ${d.typeCovered} ${d.signer === '' ? '<Root>' : lower(d.signer)}` : null;
    case TYPE_DNSKEY:
      return d.kind === 'dnskey' ? `DNSKEY ${d.algorithm}` : null;
    case TYPE_NSEC:
      return d.kind === 'nsec' ? `NSEC ${lower(r.name)} ${lower(d.next)}` : null;
    case TYPE_NSEC3:
      return 'NSEC3';
    case TYPE_NSEC3PARAM:
      return 'NSEC3PARAM';
    case TYPE_DS:
      return d.kind === 'ds' ? `DS ${d.algorithm} ${d.digestType}` : null;
    case TYPE_BINDS:
      return 'BIND9 signing signal';
    case TYPE_SSHFP:
      return d.kind === 'sshfp' ? `SSHFP: ${d.fingerprint}` : null;
    case TYPE_LOC:
      return d.kind === 'loc' ? `LOC:  ${d.size} ${d.horiz} ${d.vert}` : null;
    case TYPE_HINFO:
    case TYPE_CAA:
    case TYPE_OPT:
    case TYPE_TSIG:
      return null;
    case TYPE_NB:
      return netbios ? null : `<unknown type=${r.type}>`;
    case TYPE_DNAME:
      return `<unknown type=${r.type}>`;
    default:
      return `<unknown type=${r.type}>`;
  }
}
