// DNS spoofing by racing the resolver: an on-path host sees a query and answers first in the
// resolver's name (its address as source, its own Ethernet address), with an address of its
// choosing; the client takes whichever answer arrives first (dsniff's dnsspoof, ettercap's
// dns_spoof, bettercap's dns.spoof). A resolver answers a query once, so two answers to the same
// query — one transaction id on one client port — that disagree, or that came from two Ethernet
// sources, is the race. A client that repeats its query gets one answer per query (two complete
// transactions), which is no race even when a load balancer rotates addresses. The alert is on
// the forger when the MACs tell it — the one that did not answer the resolver's other queries —,
// else on the client. ATT&CK T1557.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence } from '../report/model.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { eventFile, type DetectorContext } from './view.js';
import { evictOldest } from '../util/evict.js';

/** Answers remembered, one per client port and transaction id (a few seconds' worth on a busy resolver). */
const MAX_ANSWERS = 8192;
/** Resolvers whose answering MACs are counted, and MACs per resolver. */
const MAX_RESOLVERS = 1024;
const MAX_MACS_PER_RESOLVER = 8;

interface Answer {
  answers: string;
  mac: string;
  replyOnly: boolean;
  evidence: Evidence;
}

const answerText = (a: unknown): string => (Array.isArray(a) && a.length > 0 ? [...(a as string[])].sort().join(',') : '(no answer)');

export class DnsSpoofDetector {
  /** client|port|resolver|id|query → the first answer */
  private readonly answers = new Map<string, Answer>();
  /** resolver address → MAC → answers it sent */
  private readonly resolverMacs = new Map<string, Map<string, number>>();

  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type !== 'dns.transaction' || c === null || ev.proto !== 'udp' || typeof ev.reply_packet !== 'number' || ev.netbios === true) return;
    if (c.rPort !== 53) return;
    const resolver = respAddr(c);
    const mac = typeof ev.reply_mac === 'string' ? ev.reply_mac : '';
    if (mac !== '') this.countMac(resolver, mac);
    const query = typeof ev.query === 'string' ? ev.query : '';
    const key = `${origAddr(c)}|${c.oPort}|${resolver}|${String(ev.trans_id)}|${query}`;
    const answers = answerText(ev.answers);
    const ts = typeof ev.reply_ts === 'number' ? ev.reply_ts : m.ts;
    const evidence: Evidence = {
      fact: 'dns-answer',
      value: `answer to ${query === '' ? 'the query' : `"${query}"`} (id ${String(ev.trans_id)}) from ${resolver}${mac !== '' ? ` via ${mac}` : ''}: ${answers}`,
      source: 'dns.answers',
      file: eventFile(this.ctx, ev, c, m),
      packet: ev.reply_packet,
      ts,
    };
    const a: Answer = { answers, mac, replyOnly: ev.reply_only === true, evidence };
    const first = this.answers.get(key);
    if (first === undefined) {
      if (this.answers.size >= MAX_ANSWERS) evictOldest(this.answers);
      this.answers.set(key, a);
      return;
    }
    const macs = first.mac !== '' && mac !== '' && first.mac !== mac;
    const differ = first.answers !== answers;
    // Two complete transactions are two queries, each answered once.
    if (!macs && !(differ && (a.replyOnly || first.replyOnly))) return;
    const [early, late] = first.evidence.ts <= a.evidence.ts ? [first, a] : [a, first];
    const forger = macs ? this.forger(resolver, first.mac, mac) : null;
    const client = origAddr(c);
    this.ctx.book.observe({
      rule: 'dns-spoofing',
      key: `${client}|${resolver}|${forger ?? ''}`,
      device: forger !== null ? `mac:${forger}` : this.ctx.deviceId(client, null),
      peer: resolver,
      ts: late.evidence.ts,
      why: `${client} got two answers to one DNS query for ${query === '' ? 'a name' : `"${query}"`} (id ${String(ev.trans_id)}) in the name of its resolver ${resolver}${macs ? `, from two Ethernet sources (${early.mac}, then ${late.mac})` : ''}: ${early.answers} first, then ${late.answers}. A resolver answers a query once: an on-path host raced it with a forged answer (dnsspoof, ettercap's dns_spoof), and the client took the first to arrive${forger !== null ? `; ${forger} did not answer the resolver's other queries, so it is the forger` : ''}`,
      evidence: [early.evidence, late.evidence],
    });
  }

  private countMac(resolver: string, mac: string): void {
    let macs = this.resolverMacs.get(resolver);
    if (macs === undefined) {
      if (this.resolverMacs.size >= MAX_RESOLVERS) evictOldest(this.resolverMacs);
      macs = new Map();
      this.resolverMacs.set(resolver, macs);
    }
    const n = macs.get(mac);
    if (n !== undefined) macs.set(mac, n + 1);
    else if (macs.size < MAX_MACS_PER_RESOLVER) macs.set(mac, 1);
  }

  /** Of two MACs answering for one resolver, the one that answered fewer of its queries (null when even). */
  private forger(resolver: string, a: string, b: string): string | null {
    const macs = this.resolverMacs.get(resolver);
    const na = macs?.get(a) ?? 0;
    const nb = macs?.get(b) ?? 0;
    return na === nb ? null : na < nb ? a : b;
  }
}
