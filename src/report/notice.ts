// logs/notice.log: every finding (posture findings and behaviour alerts alike) as a Zeek notice,
// so that pipelines built for Zeek (Security Onion, the Splunk and Elastic Zeek integrations)
// pick wardline's conclusions up where they pick up Zeek's own. Zeek's notice.log fields
// (base/frameworks/notice/main.zeek, Notice::Info): `note` is an enum in a module, here
// `Wardline::<Rule>` (Wardline::Brute_Force, Wardline::Eol_Os); `msg` the finding's detail; `sub`
// its first piece of evidence; `src` the device's address. Fields Zeek would leave unset are
// omitted, as in the other logs. wardline adds `rule`, `severity`, `device` and `finding_id`
// (report.json's finding), which Zeek's schema lacks: a SIEM sorts and joins on them.
import type { Evidence, Finding } from './model.js';
import { cmpStr, deviceIndex, evidenceSpan, type ReportView } from './view.js';

/** Zeek's default suppression interval (Notice::default_suppression_interval, 1 hr). */
const SUPPRESS_FOR = 3600;

/** `cleartext-credentials` → `Wardline::Cleartext_Credentials`. */
export function noteName(rule: string): string {
  const words = rule.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  return `Wardline::${words.map((w) => w[0].toUpperCase() + w.slice(1)).join('_') || 'Finding'}`;
}

function firstEvidence(ev: Evidence[]): Evidence | null {
  let best: Evidence | null = null;
  for (const e of ev) {
    if (!(e.packet > 0)) continue;
    if (best === null || e.ts < best.ts || (e.ts === best.ts && (cmpStr(e.file, best.file) < 0 || (e.file === best.file && e.packet < best.packet)))) best = e;
  }
  return best ?? ev[0] ?? null;
}

export interface NoticeRecord {
  ts: number;
  note: string;
  msg: string;
  sub?: string;
  src?: string;
  actions: string[];
  suppress_for: number;
  rule: string;
  severity: string;
  device: string;
  finding_id: string;
}

/**
 * One notice per finding, in time order (then by finding id). A finding whose evidence holds no
 * packet (a knowledge-base fact alone) takes the time of its device's first packet, else the
 * capture's start.
 */
export function noticeRecords(r: ReportView): NoticeRecord[] {
  const devices = deviceIndex(r);
  let captureStart = Infinity;
  for (const i of r.inputs) if (typeof i.first_ts === 'number' && i.first_ts < captureStart) captureStart = i.first_ts;
  const fallback = Number.isFinite(captureStart) ? captureStart : 0;
  const out: NoticeRecord[] = [];
  for (const f of r.findings) {
    const d = devices.get(f.device);
    const ts = evidenceSpan(f.evidence)?.first ?? (d !== undefined ? evidenceSpan(d.evidence)?.first : undefined) ?? fallback;
    out.push(noticeOf(f, d?.ips[0], ts));
  }
  return out.sort((a, b) => a.ts - b.ts || cmpStr(a.finding_id, b.finding_id));
}

function noticeOf(f: Finding, addr: string | undefined, ts: number): NoticeRecord {
  const ev = firstEvidence(f.evidence);
  const rec: NoticeRecord = { ts, note: noteName(f.rule), msg: f.detail !== '' ? f.detail : f.title, actions: ['Notice::ACTION_LOG'], suppress_for: SUPPRESS_FOR, rule: f.rule, severity: f.severity, device: f.device, finding_id: f.id };
  if (ev !== null) rec.sub = `${ev.fact}: ${ev.value} (${ev.source}${ev.packet > 0 ? `, ${ev.file} packet ${ev.packet}` : ''})`;
  if (addr !== undefined) rec.src = addr;
  return rec;
}

/** notice.log's lines (JSON, one notice each), in Zeek's field order. */
export function noticeLog(r: ReportView): string {
  let s = '';
  for (const n of noticeRecords(r)) {
    const o: Record<string, unknown> = { ts: n.ts, note: n.note, msg: n.msg };
    if (n.sub !== undefined) o.sub = n.sub;
    if (n.src !== undefined) o.src = n.src;
    o.actions = n.actions;
    o.suppress_for = n.suppress_for;
    o.rule = n.rule;
    o.severity = n.severity;
    o.device = n.device;
    o.finding_id = n.finding_id;
    s += JSON.stringify(o) + '\n';
  }
  return s;
}
