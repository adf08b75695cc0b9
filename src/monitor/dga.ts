// Domain generation algorithms (MITRE ATT&CK T1568.002). Malware that cannot hard-code its
// controller (Conficker, Necurs, Ramnit, Qakbot's fallback) derives a few hundred domain names a
// day from a seed and the date and tries them in turn; its author registers one. On the wire, one
// client asks the resolver for name after name under different registered domains, nearly all of
// which do not exist (NXDOMAIN), each second-level label a random-looking string. People and
// programs mistype or chase a dead domain now and then, and a search suffix appended to a short
// name fails under one domain only. So: per internal client, within DGA_WINDOW_SECS (600 s), the
// distinct registered domains answered NXDOMAIN whose label looks generated; at `dgaDomains` (20),
// one medium alert, updated as more come. Random-looking names of the same client that did
// resolve are named too: the live controller is usually among them. A resolver forwarding for
// others is the client of its upstream queries: the alert then points at the resolver, and its
// log says which host asked.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence } from '../report/model.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { windowEntry } from './window.js';
import { TLD } from './dnstunnel.js';

export const DGA_WINDOW_SECS = 600;
const DNS_PORT = 53;
const RCODE_NXDOMAIN = 3;
/** Domains remembered per client window, and resolved ones named. */
const MAX_DOMAINS = 256;
const MAX_RESOLVED = 8;
const EVIDENCE = 4;
/** Second-level labels under which country codes register names (example.co.uk, example.com.au). */
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'or', 'ne', 'go']);
/** Letters only, or letters and digits; no hyphen (DGAs rarely emit one; brand names often do). */
const LABEL = /^[a-z0-9]+$/;
/**
 * English's common letter pairs (about a third of the 676): a word's pairs are mostly among them
 * (facebook, gehealthcare, crowdstrike: half or more), uniform random letters' about a third.
 */
const COMMON_BIGRAMS = 'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn eo vo rv nf xp gn sm fl iz ok nl my gl aw ju oa eq sy sl ps jo lf nv je nk kn gs dy hy ze ks xt bs ik dd cy rp sk xi oe oy ws lv dl rf eu dg wr xa yi';
const COMMON = new Uint8Array(26 * 26);
for (const b of COMMON_BIGRAMS.split(' ')) COMMON[(b.charCodeAt(0) - 97) * 26 + b.charCodeAt(1) - 97] = 1;
/** Below this share of common pairs, a label's letters are not a word's. */
const WORDLIKE_SHARE = 0.45;

interface Client {
  first: number;
  /** registered domain → the name asked */
  failed: Map<string, string>;
  resolved: Map<string, string>;
  server: string;
  mac: string | null;
  evidence: Evidence[];
}

/** The registered domain of a name and its label below the suffix, or null (one label, no TLD). */
export function registeredDomain(name: string): { domain: string; label: string } | null {
  const parts = name.toLowerCase().replace(/\.$/, '').split('.');
  if (parts.length < 2) return null;
  const tld = parts[parts.length - 1];
  if (!TLD.test(tld) || tld === 'local' || tld === 'arpa' || tld === 'lan' || tld === 'internal' || tld === 'home') return null;
  const cc = tld.length === 2 && parts.length >= 3 && SECOND_LEVEL.has(parts[parts.length - 2]);
  const n = cc ? 3 : 2;
  return { domain: parts.slice(-n).join('.'), label: parts[parts.length - n] };
}

/**
 * Whether a second-level label looks generated: 8 or more letters and digits, and either letters
 * and digits mixed with three or more digits ("a9x3k2pq"), or letters whose adjacent pairs are
 * mostly not English's common ones ("khqxgpofmzw": 2 of 10). A DGA whose letters come uniformly
 * at random passes about two times in three; words and brand names almost never.
 */
export function looksGenerated(label: string): boolean {
  if (label.length < 8 || !LABEL.test(label)) return false;
  let digits = 0;
  let pairs = 0;
  let common = 0;
  let prev = -1;
  for (let i = 0; i < label.length; i++) {
    const ch = label.charCodeAt(i) - 97;
    if (ch < 0) {
      digits++;
      prev = -1;
      continue;
    }
    if (prev >= 0) {
      pairs++;
      common += COMMON[prev * 26 + ch];
    }
    prev = ch;
  }
  if (digits >= 3 && label.length - digits >= 3) return true;
  return label.length - digits >= 8 && pairs > 0 && common / pairs < WORDLIKE_SHARE;
}

export class DgaDetector {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || ev.type !== 'dns.transaction' || c.rPort !== DNS_PORT || ev.netbios === true || typeof ev.query !== 'string' || typeof ev.rcode !== 'number') return;
    if (!this.ctx.internal.has(c.o0, c.o1, c.o2, c.o3)) return;
    const d = registeredDomain(ev.query);
    if (d === null || !looksGenerated(d.label)) return;
    const nx = ev.rcode === RCODE_NXDOMAIN;
    if (!nx && !(ev.rcode === 0 && Array.isArray(ev.answers) && ev.answers.length > 0)) return;
    const client = origAddr(c);
    const ts = m.ts;
    const w = windowEntry(this.clients, client, ts, DGA_WINDOW_SECS, this.ctx.cfg.maxSources, () => ({ first: ts, failed: new Map(), resolved: new Map(), server: respAddr(c), mac: c.origMac === 0 ? null : formatMac(c.origMac), evidence: [] })).entry;
    if (!nx) {
      if (!w.resolved.has(d.domain) && w.resolved.size < MAX_RESOLVED) {
        const answers = (ev.answers as unknown[]).filter((a): a is string => typeof a === 'string').slice(0, 2).join(', ');
        w.resolved.set(d.domain, `${ev.query} → ${answers}`);
        if (w.failed.size >= this.ctx.cfg.dgaDomains) this.raise(client, w, ts);
      }
      return;
    }
    if (w.failed.has(d.domain) || w.failed.size >= MAX_DOMAINS) return;
    w.failed.set(d.domain, ev.query);
    if (w.evidence.length < EVIDENCE) w.evidence.push(eventEvidence('nxdomain-generated-name', `${ev.query}: NXDOMAIN`, 'dns.rcode', ev, c, m, eventFile(this.ctx, ev, c, m)));
    if (w.failed.size >= this.ctx.cfg.dgaDomains) this.raise(client, w, ts);
  }

  private raise(client: string, w: Client, ts: number): void {
    const names = [...w.failed.values()];
    const resolved = [...w.resolved.values()];
    const mins = Math.round(DGA_WINDOW_SECS / 60);
    this.ctx.book.observe({
      rule: 'dga',
      key: client,
      device: this.ctx.deviceId(client, w.mac),
      peer: w.server,
      ts,
      severity: 'medium',
      why: `${client} asked ${w.server} for ${names.length} different random-looking domains within ${mins} minutes that do not exist (${names.slice(0, 5).join(', ')}${names.length > 5 ? ' …' : ''})${resolved.length > 0 ? `, and for ${resolved.length} of the same kind that resolved (${resolved.join('; ')}: likely the live controller)` : ''}. That is how malware with a domain generation algorithm looks for its controller (Conficker, Necurs, Ramnit; MITRE ATT&CK T1568.002)`,
      evidence: w.evidence.slice(),
    });
  }

  size(): number {
    return this.clients.size;
  }
}
