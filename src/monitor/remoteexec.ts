// Remote execution between internal hosts, the way ransomware and intruders spread (and the way
// PsExec, Impacket's psexec/smbexec, schtasks and WMI do it):
//  - an executable or script copied to another host over SMB (MITRE ATT&CK T1570 Lateral Tool
//    Transfer), from the file analysis of SMB writes: the file's own first bytes say executable
//    (MZ, ELF: application/x-dosexec, application/x-executable) or its name ends in an extension
//    Windows runs (.exe, .dll, .bat, .ps1 …). To an administrative share (ADMIN$, C$) it is what
//    PsExec does before starting its service: high; to an ordinary share, an installer put on a
//    file server is common: medium;
//  - a call that makes the target run something (T1569.002 Service Execution, T1053.005 Scheduled
//    Task, T1047 WMI): MS-SCMR service creation or start, MS-TSCH task registration, atsvc job,
//    IWbemServices ExecMethod, from dce_rpc.log's named operations: high;
//  - both from one source to one target in one episode (the copy, then the service that runs it):
//    critical, the PsExec pattern;
//  - any of these aimed at a medical or IoT device: critical. Nobody deploys software to an
//    infusion pump or a modality's controller with PsExec; the vendor's service tools do not
//    work that way, an intruder (or a worm like WannaCry, which crippled imaging) does.
//    In monitor the target's category comes from the running classification; analyze knows
//    categories only at the end of the input, where Monitor.finish escalates (escalateRemoteExec).
// Software-distribution and administration servers do all of this by design: `remoteExecAllow`
// lists them. One alert per (source, target) episode; the source is the alert's device.
import type { Category, Evidence, Severity } from '../report/model.js';
import type { Alert } from '../report/alert.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import type { AppEvent } from '../analyzers/types.js';
import type { FileEvent } from '../analyzers/files/events.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { isMedIot, REMOTE_EXEC_OPERATIONS } from './lateral.js';
import { NetSet } from './net.js';
import { isExecutableFile } from '../analyzers/files/kinds.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { episodeEntry } from './window.js';

/** An SMB share path naming an administrative share: \\host\ADMIN$ or a drive's \\host\C$. */
const ADMIN_SHARE = /\\(ADMIN|[A-Z])\$$/i;
/** Files and calls named in one alert's wording. */
const MAX_EPISODE_ITEMS = 8;

interface Episode {
  files: string[];
  ops: string[];
}

export class RemoteExecDetector {
  private readonly allow: NetSet;
  /** `src|dst` → the files and calls of its open episode, for the wording. */
  private readonly episodes = new Map<string, Episode>();

  constructor(private readonly ctx: DetectorContext) {
    this.allow = new NetSet(ctx.cfg.remoteExecAllow);
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null) return;
    if (ev.type === 'files.file') this.file(ev as FileEvent, c, m);
    else if (ev.type === 'dce_rpc.call') this.call(ev, c, m);
  }

  /** A file written over SMB by the connection's client. */
  private file(f: FileEvent, c: Conn, m: PacketMeta): void {
    if (f.source !== 'SMB' || !f.is_orig || !isExecutableFile(f.mime_type, f.filename)) return;
    if (!this.internalPair(c)) return;
    const share = typeof f.share === 'string' ? f.share : '';
    const admin = ADMIN_SHARE.test(share);
    const name = f.filename ?? '(unnamed)';
    const where = share !== '' ? `${share}\\${name}` : name;
    const what = `${where} (${f.mime_type ?? 'by its name'}, ${f.seen_bytes} bytes${f.md5 !== undefined ? `, MD5 ${f.md5}, SHA-256 ${f.sha256}` : ''}; files.log ${f.fuid})`;
    const ev = eventEvidence('executable-copied', what, 'files.smb_write', f, c, m, eventFile(this.ctx, f, c, m));
    this.raise(c, admin ? 'high' : 'medium', { file: where }, ev);
  }

  /** A DCE/RPC operation that makes the responder run something. */
  private call(ev: AppEvent, c: Conn, m: PacketMeta): void {
    const endpoint = ev.endpoint as string;
    const operation = ev.operation as string;
    if (REMOTE_EXEC_OPERATIONS.get(endpoint)?.has(operation) !== true || !this.internalPair(c)) return;
    const op = `${endpoint} ${operation}`;
    this.raise(c, 'high', { op }, eventEvidence('remote-execution-call', op, 'dce_rpc.operation', ev, c, m, eventFile(this.ctx, ev, c, m)));
  }

  /** Both ends internal, distinct, and the source not an allowed administration host. */
  private internalPair(c: Conn): boolean {
    const internal = this.ctx.internal;
    if (!internal.has(c.o0, c.o1, c.o2, c.o3) || !internal.has(c.r0, c.r1, c.r2, c.r3)) return false;
    if (c.o0 === c.r0 && c.o1 === c.r1 && c.o2 === c.r2 && c.o3 === c.r3) return false;
    return !this.allow.has(c.o0, c.o1, c.o2, c.o3);
  }

  private raise(c: Conn, severity: Severity, item: { file?: string; op?: string }, evidence: Evidence): void {
    const src = origAddr(c);
    const dst = respAddr(c);
    const key = `${src}|${dst}`;
    // The files and calls of the open episode; a new episode starts new lists.
    const ep = episodeEntry(this.ctx.book.get('remote-execution', key) !== undefined, this.episodes, key, this.ctx.cfg.maxSources, () => ({ files: [] as string[], ops: [] as string[] }));
    if (item.file !== undefined && !ep.files.includes(item.file) && ep.files.length < MAX_EPISODE_ITEMS) ep.files.push(item.file);
    if (item.op !== undefined && !ep.ops.includes(item.op) && ep.ops.length < MAX_EPISODE_ITEMS) ep.ops.push(item.op);
    // The copy and the call that runs it: the PsExec pattern.
    if (ep.files.length > 0 && ep.ops.length > 0) severity = 'critical';
    const target = this.ctx.category(dst, c.respMac === 0 ? null : formatMac(c.respMac));
    if (isMedIot(target)) severity = 'critical';
    const parts: string[] = [];
    if (ep.files.length > 0) parts.push(`copied ${ep.files.length === 1 ? 'an executable' : `${ep.files.length} executables`} to ${dst} over SMB (${ep.files.join(', ')}; MITRE ATT&CK T1570)`);
    if (ep.ops.length > 0) parts.push(`called ${ep.ops.join(', ')} on ${dst}, which run a program there (T1569.002 / T1053.005 / T1047)`);
    const srcMac = c.origMac === 0 ? null : formatMac(c.origMac);
    this.ctx.book.observe({
      rule: 'remote-execution',
      key,
      device: this.ctx.deviceId(src, srcMac),
      peer: dst,
      ts: evidence.ts,
      severity,
      why: `${src} ${parts.join(', and ')}${ep.files.length > 0 && ep.ops.length > 0 ? ': a program copied, then started as a service or task (the PsExec pattern)' : ''}${isMedIot(target) ? medicalTarget(target!) : ''}`,
      evidence: [evidence],
    });
  }

  size(): number {
    return this.episodes.size;
  }
}

/** The wording added when the target is a medical or IoT device. */
function medicalTarget(cat: Category): string {
  return `; the target is a medical or IoT device (category ${cat}), to which no administrator deploys software this way`;
}

/**
 * End of input (analyze): remote-execution alerts whose target (the alert's peer) the inventory
 * classified as medical or IoT become critical, worded as above. An alert already escalated
 * live (monitor) is left as it is.
 */
export function escalateRemoteExec(alerts: Alert[], category: (ip: string, mac: string | null) => Category | null): void {
  for (const a of alerts) {
    if (a.rule !== 'remote-execution' || a.peer === null || a.peer === undefined) continue;
    const cat = category(a.peer, null);
    if (!isMedIot(cat) || a.why.endsWith(medicalTarget(cat!))) continue;
    a.severity = 'critical';
    a.why += medicalTarget(cat!);
  }
}
