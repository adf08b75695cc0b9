// Alert deduplication: one open episode per (rule, key). Observations while the episode is open
// add to its count and widen its times; after `quietGapSecs` without one the episode closes and
// the next observation starts a new alert with a new id. Ids are hashes of rule, device, key and
// the episode's first timestamp, so replaying the same capture yields the same ids.
import { createHash } from 'node:crypto';
import type { Evidence, Finding, Severity } from '../report/model.js';
import type { Alert } from '../report/alert.js';
import { RULES, maxSeverity, type RuleId } from './rules.js';

export type AlertPhase = 'new' | 'update' | 'close';

export interface Observation {
  rule: RuleId;
  /** What makes two observations the same incident (e.g. "src|dst|ftp"). */
  key: string;
  device: string;
  peer: string | null;
  ts: number;
  /** Count to add (default 1), or `count` to set it outright. */
  inc?: number;
  count?: number;
  severity?: Severity;
  why: string;
  evidence?: Evidence[];
  /** The evidence matters more than earlier items (a success after guessing): keep it even when full. */
  pin?: boolean;
}

interface Episode {
  alert: Alert;
  /** Count when the sinks last saw this alert. */
  emittedCount: number;
  emittedSeverity: Severity;
}

export function alertId(rule: string, device: string, key: string, firstTs: number): string {
  const h = createHash('sha256').update(`${rule}\u0000${device}\u0000${key}\u0000${firstTs.toFixed(6)}`).digest('hex');
  return `${rule}-${h.slice(0, 16)}`;
}

/** Rounds a timestamp to the microsecond, as evidence and alerts carry them. */
export function usec(ts: number): number {
  return Math.round(ts * 1e6) / 1e6;
}

export class AlertBook {
  private readonly open = new Map<string, Episode>();
  /** Every alert raised (bounded; the store keeps the rest), for analyze results and tests. */
  private readonly kept: Alert[] = [];
  raised = 0;
  evicted = 0;
  dropped = 0;

  constructor(
    private readonly opts: { quietGapSecs: number; maxEvidence: number; maxOpen: number; maxKept: number },
    private readonly emit: (a: Alert, phase: AlertPhase) => void,
  ) {}

  /** Records an observation; returns the alert it belongs to. */
  observe(o: Observation): Alert {
    const k = `${o.rule}\u0000${o.key}`;
    const ts = usec(o.ts);
    const ep = this.open.get(k);
    if (ep !== undefined && ts - ep.alert.last_ts <= this.opts.quietGapSecs) {
      const a = ep.alert;
      a.count = o.count ?? a.count + (o.inc ?? 1);
      if (ts < a.first_ts) a.first_ts = ts;
      if (ts > a.last_ts) a.last_ts = ts;
      a.why = o.why;
      if (o.severity !== undefined) a.severity = maxSeverity(a.severity, o.severity);
      if (o.peer !== null && a.peer === null) a.peer = o.peer;
      for (const e of o.evidence ?? []) {
        if (a.evidence.some((x) => x.packet === e.packet && x.file === e.file && x.fact === e.fact && x.value === e.value)) continue;
        if (a.evidence.length < this.opts.maxEvidence) a.evidence.push(e);
        else if (o.pin === true && a.evidence.length > 0) a.evidence[a.evidence.length - 1] = e;
      }
      this.emit(a, 'update');
      return a;
    }
    if (ep !== undefined) this.close(k, ep);
    const a: Alert = {
      id: alertId(o.rule, o.device, o.key, ts),
      rule: o.rule,
      severity: o.severity ?? RULES[o.rule].severity,
      device: o.device,
      peer: o.peer,
      first_ts: ts,
      last_ts: ts,
      count: o.count ?? o.inc ?? 1,
      evidence: (o.evidence ?? []).slice(0, this.opts.maxEvidence),
      why: o.why,
    };
    for (const e of a.evidence) {
      if (e.ts < a.first_ts) a.first_ts = e.ts;
    }
    if (this.open.size >= this.opts.maxOpen) {
      // Close the episode that has been quiet longest.
      let oldestK: string | null = null;
      let oldest = Infinity;
      for (const [kk, e] of this.open) {
        if (e.alert.last_ts < oldest) {
          oldest = e.alert.last_ts;
          oldestK = kk;
        }
      }
      if (oldestK !== null) {
        this.close(oldestK, this.open.get(oldestK)!);
        this.evicted++;
      }
    }
    this.open.set(k, { alert: a, emittedCount: a.count, emittedSeverity: a.severity });
    this.raised++;
    if (this.kept.length < this.opts.maxKept) this.kept.push(a);
    else this.dropped++;
    this.emit(a, 'new');
    return a;
  }

  /** The open episode for (rule, key), if any. */
  get(rule: RuleId, key: string): Alert | undefined {
    return this.open.get(`${rule}\u0000${key}`)?.alert;
  }

  private close(k: string, ep: Episode): void {
    this.open.delete(k);
    if (ep.alert.count !== ep.emittedCount || ep.alert.severity !== ep.emittedSeverity) this.emit(ep.alert, 'close');
  }

  /** Closes episodes quiet for longer than the gap, at network time `now`. */
  expire(now: number): void {
    for (const [k, ep] of this.open) {
      if (now - ep.alert.last_ts > this.opts.quietGapSecs) this.close(k, ep);
    }
  }

  /** Closes every open episode (end of input). */
  closeAll(): void {
    for (const [k, ep] of [...this.open].sort((x, y) => (x[0] < y[0] ? -1 : 1))) this.close(k, ep);
  }

  openCount(): number {
    return this.open.size;
  }

  /** Alerts raised so far, sorted by first timestamp and id. */
  alerts(): Alert[] {
    return [...this.kept].sort((a, b) => a.first_ts - b.first_ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/** The finding an alert becomes in report.json (`scan`, `brute-force` … are finding rules too). */
export function alertToFinding(a: Alert): Finding {
  const info = (RULES as Record<string, { title: string; remediation: string } | undefined>)[a.rule];
  return {
    id: a.id,
    rule: a.rule,
    severity: a.severity,
    device: a.device,
    title: info?.title ?? a.rule,
    detail: a.why,
    evidence: a.evidence,
    remediation: info?.remediation ?? '',
    cves: [],
  };
}
