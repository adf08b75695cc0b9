// Scan detection from ended connections, after Zeek's policy/misc/scan.zeek: a source's failed
// TCP connection attempts are counted per scan interval (a tumbling window); many distinct ports
// of one host is a port scan, one port across many hosts an address scan. A failed attempt is
// one the originator opened with a SYN that carried no data either way and did not end in an
// orderly close: S0, REJ, RSTO/RSTOS0, RSTR/RSTRH, SH or OTH (Zeek's conn_state values).
import { MEDICAL_CATEGORIES, IOT_CATEGORIES, type Evidence } from '../report/model.js';
import { raiseSeverity, RULES } from './rules.js';
import { NetSet } from './net.js';
import { connEvidence, type ConnView, type DetectorContext } from './view.js';

const FAILED_STATES = new Set(['S0', 'REJ', 'RSTO', 'RSTOS0', 'RSTR', 'RSTRH', 'SH', 'OTH']);

/** Distinct targets remembered per set once past the threshold (the alert keeps counting). */
const SET_SLACK = 1;
/** Hosts or ports tracked per source per interval. */
const MAX_KEYS_PER_SOURCE = 1024;

interface Tally {
  items: Set<string>;
  evidence: Evidence[];
}

interface SourceState {
  windowStart: number;
  /** dst → ports probed */
  byHost: Map<string, Tally>;
  /** port → hosts probed */
  byPort: Map<number, Tally>;
  mac: string | null;
}

export function isFailedAttempt(v: ConnView): boolean {
  return v.tcp && FAILED_STATES.has(v.state) && v.synNoData && v.origBytes === 0 && v.respBytes === 0;
}

export class ScanDetector {
  private readonly sources = new Map<string, SourceState>();
  private readonly allow: NetSet;
  evicted = 0;

  constructor(private readonly ctx: DetectorContext) {
    this.allow = new NetSet(ctx.cfg.scanAllow);
  }

  onConn(v: ConnView): void {
    if (!isFailedAttempt(v) || this.allow.hasAddr(v.orig)) return;
    const cfg = this.ctx.cfg;
    let s = this.sources.get(v.orig);
    if (s === undefined || v.start - s.windowStart > cfg.scanIntervalSecs) {
      if (s === undefined && this.sources.size >= cfg.maxSources) {
        const first = this.sources.keys().next().value as string;
        this.sources.delete(first);
        this.evicted++;
      }
      if (s !== undefined) this.sources.delete(v.orig);
      s = { windowStart: v.start, byHost: new Map(), byPort: new Map(), mac: v.origMac };
      this.sources.set(v.orig, s);
    }
    this.count(s, s.byHost, v.resp, String(v.rPort), v, cfg.portScanThreshold, 'port');
    this.count(s, s.byPort, v.rPort, v.resp, v, cfg.addrScanThreshold, 'address');
  }

  private count<K>(s: SourceState, m: Map<K, Tally>, key: K, item: string, v: ConnView, threshold: number, kind: 'port' | 'address'): void {
    let t = m.get(key);
    if (t === undefined) {
      if (m.size >= MAX_KEYS_PER_SOURCE) return;
      t = { items: new Set(), evidence: [] };
      m.set(key, t);
    }
    const alertKey = kind === 'port' ? `port|${v.orig}|${v.resp}` : `address|${v.orig}|${v.rPort}`;
    const open = this.ctx.book.get('scan', alertKey);
    if (open !== undefined && t.items.size >= threshold) {
      // Past the threshold: the open alert counts further probes; the set stops growing.
      if (!t.items.has(item)) this.raise(v, alertKey, kind, { inc: 1 }, []);
      return;
    }
    if (t.items.has(item) || t.items.size >= threshold + SET_SLACK) return;
    t.items.add(item);
    if (t.evidence.length < this.ctx.cfg.maxEvidence) t.evidence.push(connEvidence(v, kind === 'port' ? 'port-probe' : 'host-probe'));
    if (t.items.size === threshold) this.raise(v, alertKey, kind, open !== undefined ? { inc: threshold } : { count: threshold }, t.evidence);
  }

  private raise(v: ConnView, key: string, kind: 'port' | 'address', n: { inc?: number; count?: number }, evidence: Evidence[]): void {
    const ctx = this.ctx;
    const cat = ctx.category(v.orig, v.origMac);
    const medIot = cat !== null && (MEDICAL_CATEGORIES.has(cat) || IOT_CATEGORIES.has(cat));
    const severity = medIot ? raiseSeverity(RULES.scan.severity) : RULES.scan.severity;
    const who = medIot ? `${cat} device ${v.orig}` : v.orig;
    const count = n.count ?? (ctx.book.get('scan', key)?.count ?? 0) + (n.inc ?? 1);
    const why =
      kind === 'port'
        ? `${who} probed ${count} TCP ports of ${v.resp} without completing a connection (port scan; threshold ${ctx.cfg.portScanThreshold} in ${ctx.cfg.scanIntervalSecs} s)`
        : `${who} probed TCP port ${v.rPort} on ${count} hosts without completing a connection (address scan; threshold ${ctx.cfg.addrScanThreshold} in ${ctx.cfg.scanIntervalSecs} s)`;
    ctx.book.observe({
      rule: 'scan',
      key,
      device: ctx.deviceId(v.orig, v.origMac),
      peer: kind === 'port' ? v.resp : null,
      ts: v.start,
      ...n,
      severity,
      why,
      evidence,
    });
  }

  size(): number {
    return this.sources.size;
  }
}
