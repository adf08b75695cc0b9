// Scan detection from ended connections, after Zeek's policy/misc/scan.zeek: a source's failed
// TCP connection attempts are counted per scan interval (a tumbling window); many distinct ports
// of one host is a port scan, one port across many hosts an address scan. A failed attempt is
// one the originator opened with a SYN that carried no data either way and did not end in an
// orderly close: S0, REJ, RSTO/RSTOS0, RSTR/RSTRH, SH or OTH (Zeek's conn_state values).
import { MEDICAL_CATEGORIES, IOT_CATEGORIES, type Evidence } from '../report/model.js';
import { raiseSeverity, RULES } from './rules.js';
import { NetSet } from './net.js';
import { usec } from './alerts.js';
import type { ConnView, DetectorContext } from './view.js';

const FAILED_STATES = new Set(['S0', 'REJ', 'RSTO', 'RSTOS0', 'RSTR', 'RSTRH', 'SH', 'OTH']);

/** Distinct targets remembered per set once past the threshold (the alert keeps counting). */
const SET_SLACK = 1;
/** Hosts or ports tracked per source per interval. */
const MAX_KEYS_PER_SOURCE = 1024;
/**
 * A failed attempt is reported when its connection ends: for an unanswered SYN, after the flow
 * table's 300 s TCP inactivity timeout and the sender's SYN retries (about two minutes). A
 * window's state is kept this long past its end for such late reports, then dropped.
 */
const LATE_REPORT_SECS = 600;

/**
 * One failed attempt (a distinct target of its source's window), shared by the host's and the
 * port's tally. The evidence it stands for is only built when an alert is raised: most attempts
 * never reach a threshold, and a built evidence string costs several times this record.
 */
class Probe {
  constructor(
    readonly resp: string,
    readonly oPort: number,
    readonly rPort: number,
    readonly state: string,
    readonly service: string,
    readonly file: string,
    readonly packet: number,
    readonly start: number,
  ) {}
}

/** The first probe of each distinct target, in order; a lone probe is held without an array (most are). */
type Tally = Probe | Probe[];

interface SourceState {
  windowStart: number;
  /** dst → its tally of distinct ports (at most threshold + SET_SLACK) */
  byHost: Map<string, Tally>;
  /** port → its tally of distinct hosts */
  byPort: Map<number, Tally>;
  /** Probe references held in both maps (what the source costs). */
  refs: number;
}

export function isFailedAttempt(v: ConnView): boolean {
  return v.tcp && FAILED_STATES.has(v.state) && v.synNoData && v.origBytes === 0 && v.respBytes === 0;
}

function probeEvidence(orig: string, p: Probe, fact: string): Evidence {
  return {
    fact,
    value: `${orig}:${p.oPort} -> ${p.resp}:${p.rPort}/tcp ${p.state}${p.service !== '' ? ' ' + p.service : ''}`,
    source: 'conn.conn_state',
    file: p.file,
    packet: p.packet,
    ts: usec(p.start),
  };
}

export class ScanDetector {
  private readonly sources = new Map<string, SourceState>();
  private readonly allow: NetSet;
  /** Probe references held over all sources (bounded by cfg.maxScanProbes). */
  private refs = 0;
  evicted = 0;

  constructor(private readonly ctx: DetectorContext) {
    this.allow = new NetSet(ctx.cfg.scanAllow);
  }

  onConn(v: ConnView): void {
    if (!isFailedAttempt(v) || this.allow.hasAddr(v.orig)) return;
    const cfg = this.ctx.cfg;
    let s = this.sources.get(v.orig);
    if (s === undefined || v.start - s.windowStart > cfg.scanIntervalSecs) {
      if (s === undefined && this.sources.size >= cfg.maxSources) this.evictOldest();
      if (s !== undefined) this.drop(v.orig, s);
      s = { windowStart: v.start, byHost: new Map(), byPort: new Map(), refs: 0 };
      this.sources.set(v.orig, s);
    }
    const p = new Probe(v.resp, v.oPort, v.rPort, v.state, v.service, v.file, v.packet, v.start);
    this.count(s, s.byHost, v.resp, p, v, cfg.portScanThreshold, 'port');
    this.count(s, s.byPort, v.rPort, p, v, cfg.addrScanThreshold, 'address');
  }

  /** Drops windows too old for any late report to land in (housekeeping, network time `now`). */
  expire(now: number): void {
    const horizon = this.ctx.cfg.scanIntervalSecs + LATE_REPORT_SECS;
    for (const [k, s] of this.sources) if (now - s.windowStart > horizon) this.drop(k, s);
  }

  private evictOldest(): void {
    const [k, s] = this.sources.entries().next().value as [string, SourceState];
    this.drop(k, s);
    this.evicted++;
  }

  private drop(k: string, s: SourceState): void {
    this.sources.delete(k);
    this.refs -= s.refs;
  }

  private count<K>(s: SourceState, m: Map<K, Tally>, key: K, p: Probe, v: ConnView, threshold: number, kind: 'port' | 'address'): void {
    const t = m.get(key);
    if (t === undefined && m.size >= MAX_KEYS_PER_SOURCE) return;
    const n = t === undefined ? 0 : t instanceof Probe ? 1 : t.length;
    const alertKey = kind === 'port' ? `port|${v.orig}|${v.resp}` : `address|${v.orig}|${v.rPort}`;
    const open = this.ctx.book.get('scan', alertKey);
    const seen = t !== undefined && (kind === 'port' ? hasPort(t, v.rPort) : hasHost(t, v.resp));
    if (open !== undefined && n >= threshold) {
      // Past the threshold: the open alert counts further probes; the tally stops growing.
      if (!seen) this.raise(v, alertKey, kind, { inc: 1 }, []);
      return;
    }
    if (seen || n >= threshold + SET_SLACK) return;
    // The budget over all sources: the oldest windows make room; a lone source past it stops growing.
    while (this.refs >= this.ctx.cfg.maxScanProbes) if (!this.evictOther(s)) return;
    let list: Probe[] | null = null;
    if (t === undefined) m.set(key, p);
    else if (t instanceof Probe) m.set(key, (list = [t, p]));
    else (list = t).push(p);
    s.refs++;
    this.refs++;
    if (n + 1 === threshold) {
      const fact = kind === 'port' ? 'port-probe' : 'host-probe';
      const evidence: Evidence[] = [];
      const items = list ?? [p];
      for (let i = 0; i < items.length && i < this.ctx.cfg.maxEvidence; i++) evidence.push(probeEvidence(v.orig, items[i], fact));
      this.raise(v, alertKey, kind, open !== undefined ? { inc: threshold } : { count: threshold }, evidence);
    }
  }

  /** Drops the oldest source other than `keep`; false when there is none. */
  private evictOther(keep: SourceState): boolean {
    for (const [k, o] of this.sources) {
      if (o === keep) continue;
      this.drop(k, o);
      this.evicted++;
      return true;
    }
    return false;
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

  /** Probe references held (what the detector's memory grows with). */
  probes(): number {
    return this.refs;
  }
}

function hasPort(t: Tally, port: number): boolean {
  if (t instanceof Probe) return t.rPort === port;
  for (let i = 0; i < t.length; i++) if (t[i].rPort === port) return true;
  return false;
}

function hasHost(t: Tally, host: string): boolean {
  if (t instanceof Probe) return t.resp === host;
  for (let i = 0; i < t.length; i++) if (t[i].resp === host) return true;
  return false;
}
