// Command-and-control beaconing: an internal host opening connection after connection to one
// Internet address and port at a steady rhythm, each carrying about the same bytes. An implant
// checks in with its controller every `sleep` seconds (Cobalt Strike and Sliver: 60 s by
// default, with up to a few tens of percent jitter), and with no task waiting every check-in is
// the same size. People do not browse like that, so the regularity is the sign (RITA's approach:
// robust spread of the intervals and of the sizes). Vendor telemetry and update checks beat the
// same way — a medical device's heartbeat to its vendor's cloud is a remote service channel
// worth knowing about too — so the alert names the destination (its TLS server name or HTTP
// host) for the analyst to judge, and `beaconAllow` lists the destinations already judged.
// Judged per (host, destination, port) over its last BEACON_KEEP connections: at least
// `beaconMinConns` answered TCP connections, a median interval of `beaconMinIntervalSecs` or
// more, and intervals and originator byte counts whose median absolute deviation is at most
// `beaconJitter` of their median. TCP only (NTP, DNS and other UDP exchanges are periodic by
// design); one medium alert per episode, updated as the series grows.
import type { Evidence } from '../report/model.js';
import { connEvidence, type ConnView, type DetectorContext } from './view.js';
import { DestAllow, type DestNames } from './dest-names.js';
import { evictOldest } from '../util/evict.js';

/** Connections kept per series: the judgement is over the latest ones. */
export const BEACON_KEEP = 64;
/** Evidence items: the series' first connection and the latest ones. */
const BEACON_EVIDENCE = 4;

interface Series {
  /** Start times and originator bytes of the latest connections, in arrival order (a ring once full). */
  starts: number[];
  bytes: number[];
  n: number;
  first: Evidence | null;
  firstStart: number;
}

/** Median of the first `n` values of `a` (sorted in place). */
function median(a: Float64Array, n: number): number {
  const s = a.subarray(0, n).sort();
  return n % 2 === 1 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Median absolute deviation from `center` of the first `n` values of `a` (overwritten). */
function deviation(a: Float64Array, n: number, center: number): number {
  for (let j = 0; j < n; j++) a[j] = Math.abs(a[j] - center);
  return median(a, n);
}

export class BeaconDetector {
  private readonly allow: DestAllow;
  private readonly series = new Map<string, Series>();
  /** Scratch for the medians (one series at a time). */
  private readonly scratch = new Float64Array(BEACON_KEEP);
  private readonly scratch2 = new Float64Array(BEACON_KEEP);
  evicted = 0;

  constructor(
    private readonly ctx: DetectorContext,
    private readonly names: DestNames,
  ) {
    this.allow = new DestAllow(ctx.cfg.beaconAllow);
  }

  onConn(v: ConnView): void {
    if (!v.tcp || !v.answered || !v.origInternal || v.respInternal || v.origBytes === 0) return;
    const name = this.names.get(v.orig, v.resp);
    if (this.allow.hasAddr(v.resp) || this.allow.hasName(name)) return;
    const cfg = this.ctx.cfg;
    const key = `${v.orig}|${v.resp}|${v.rPort}`;
    let s = this.series.get(key);
    if (s === undefined) {
      if (this.series.size >= cfg.maxSources) {
        evictOldest(this.series);
        this.evicted++;
      }
      s = { starts: [], bytes: [], n: 0, first: null, firstStart: 0 };
      this.series.set(key, s);
    }
    if (s.starts.length < BEACON_KEEP) {
      s.starts.push(v.start);
      s.bytes.push(v.origBytes);
    } else {
      s.starts[s.n % BEACON_KEEP] = v.start;
      s.bytes[s.n % BEACON_KEEP] = v.origBytes;
    }
    s.n++;
    // Connections end (and come here) out of order: the series' evidence starts at its earliest.
    if (s.first === null || v.start < s.firstStart) {
      s.first = connEvidence(v, 'beacon-connection');
      s.firstStart = v.start;
    }
    const k = s.starts.length;
    if (k < cfg.beaconMinConns) return;
    // Intervals between the kept starts in time order.
    const t = this.scratch;
    t.set(s.starts);
    t.subarray(0, k).sort();
    const iv = this.scratch2;
    for (let j = 1; j < k; j++) iv[j - 1] = t[j] - t[j - 1];
    const period = median(iv, k - 1);
    if (period < cfg.beaconMinIntervalSecs) return;
    const jitter = deviation(iv, k - 1, period) / period;
    if (jitter > cfg.beaconJitter) return;
    const b = this.scratch;
    b.set(s.bytes);
    const size = median(b, k);
    const sizeJitter = deviation(b, k, size) / size;
    if (sizeJitter > cfg.beaconJitter) return;
    this.raise(v, s, name, k, period, jitter, size, sizeJitter);
  }

  private raise(v: ConnView, s: Series, name: string, k: number, period: number, jitter: number, size: number, sizeJitter: number): void {
    const dest = `${v.resp}:${v.rPort}${name !== '' ? ` (${name})` : ''}`;
    const evidence: Evidence[] = s.first !== null ? [s.first] : [];
    evidence.push(connEvidence(v, 'beacon-connection'));
    this.ctx.book.observe({
      rule: 'c2-beacon',
      key: `${v.orig}|${v.resp}|${v.rPort}`,
      device: this.ctx.deviceId(v.orig, v.origMac),
      peer: v.resp,
      ts: v.start,
      severity: 'medium',
      why: `${v.orig} connected to ${dest} ${s.n} times at a steady rhythm: every ${fmtSecs(period)} (intervals within ±${pct(jitter)} of it, median absolute deviation) sending about ${Math.round(size)} bytes each time (±${pct(sizeJitter)}), over the last ${k} connections. That is how a command-and-control implant checks in (Cobalt Strike, Sliver, Metasploit's HTTP payloads; MITRE ATT&CK T1071), and how vendor telemetry and update checks beat: find what on the host makes these connections; if the destination is a known vendor service, list it in beaconAllow`,
      evidence: evidence.slice(0, BEACON_EVIDENCE),
    });
  }

  size(): number {
    return this.series.size;
  }
}

function fmtSecs(s: number): string {
  return s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;
}

function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}
