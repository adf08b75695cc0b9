// Lateral movement: a medical or IoT device used as a stepping stone. Two signs:
//  - it opens a remote-administration or remote-execution protocol (SMB, RDP, WinRM, SSH,
//    Telnet, rlogin, DCE-RPC) to an internal host: such devices are administered, they do not
//    administer (MITRE ATT&CK T1021 Remote Services);
//  - it reaches many internal hosts it never spoke to within a short window (fan-out).
// When the DCE/RPC analyzer names remote-execution operations on such a connection (a service
// created or started, a task registered: PsExec, schtasks, WMI), the alert names them too.
// The device's category comes from the caller (the inventory); when it is not known yet the
// connection waits, bounded in number and time, and is judged once it is.
import { IOT_CATEGORIES, MEDICAL_CATEGORIES, type Category, type Evidence } from '../report/model.js';
import { connEvidence, eventEvidence, eventFile, type ConnView, type DetectorContext } from './view.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import type { AppEvent } from '../analyzers/types.js';
import { evictOldest } from '../util/evict.js';

/**
 * DCE/RPC operations that run code on the target (MS-SCMR service creation/start, MS-TSCH task
 * registration, MS-WMI method execution): endpoint → operations, as dce_rpc.log names them.
 */
export const REMOTE_EXEC_OPERATIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['svcctl', new Set(['CreateServiceW', 'CreateServiceA', 'CreateServiceWOW64W', 'CreateServiceWOW64A', 'StartServiceW', 'StartServiceA', 'ChangeServiceConfigW', 'ChangeServiceConfigA'])],
  ['ITaskSchedulerService', new Set(['SchRpcRegisterTask', 'SchRpcRun'])],
  ['atsvc', new Set(['NetrJobAdd'])],
  ['IWbemServices', new Set(['ExecMethod', 'ExecMethodAsync'])],
]);
/** Connections with remote-execution calls remembered until they end. */
const MAX_EXEC_CONNS = 1024;
const MAX_EXEC_OPS = 8;

export const ADMIN_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'SSH'],
  [23, 'Telnet'],
  [135, 'DCE-RPC'],
  [139, 'SMB'],
  [445, 'SMB'],
  [513, 'rlogin'],
  [3389, 'RDP'],
  [5985, 'WinRM'],
  [5986, 'WinRM'],
]);

const ADMIN_SERVICES: ReadonlyMap<string, string> = new Map([
  ['smb', 'SMB'],
  ['rdp', 'RDP'],
  ['ssh', 'SSH'],
  ['telnet', 'Telnet'],
  ['rlogin', 'rlogin'],
  ['dce_rpc', 'DCE-RPC'],
  ['winrm', 'WinRM'],
]);

export function isMedIot(cat: Category | null): boolean {
  return cat !== null && (MEDICAL_CATEGORIES.has(cat) || IOT_CATEGORIES.has(cat));
}

/** The admin protocol a connection speaks, by analyzer verdict first and port second. */
export function adminProtocol(v: ConnView): string | null {
  if (v.service !== '') {
    for (const s of v.service.split(',')) {
      const p = ADMIN_SERVICES.get(s);
      if (p !== undefined) return p;
    }
    if (v.service !== 'ntlm' && v.service !== 'gssapi') return null;
  }
  return v.tcp ? (ADMIN_PORTS.get(v.rPort) ?? null) : null;
}


interface Pending {
  kind: 'admin' | 'fanout';
  v: ConnView;
  proto: string;
  count: number;
  evidence: Evidence[];
  /** Remote-execution operations called on the connection ("svcctl CreateServiceW"). */
  ops?: string[];
}

/** Internal hosts remembered per (source, protocol) for the alert's wording. */
const MAX_ADMIN_TARGETS = 256;
/**
 * A connection is judged when it ends, up to the flow table's 300 s inactivity timeout after its
 * last packet: a fan-out window's state is kept this long past its end for such late reports.
 */
const LATE_REPORT_SECS = 600;

interface Fanout {
  windowStart: number;
  hosts: Set<string>;
  evidence: Evidence[];
}

export class LateralDetector {
  private readonly pending: Pending[] = [];
  private readonly fanout = new Map<string, Fanout>();
  /** `src|proto` → internal hosts it opened that protocol to (during the open alert). */
  private readonly targets = new Map<string, Set<string>>();
  droppedPending = 0;
  /** Remote-execution calls per open connection, until onConn judges it. */
  private readonly execOps = new Map<Conn, { ops: string[]; evidence: Evidence[] }>();

  /**
   * `knownPeer(src, dst)`: true when dst is in src's learned baseline or src is still learning,
   * so only hosts the device never spoke to count towards fan-out.
   */
  constructor(
    private readonly ctx: DetectorContext,
    private readonly knownPeer: (src: string, dst: string) => boolean,
  ) {}

  /** dce_rpc.call events: remembers remote-execution operations for the connection's judgement. */
  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type !== 'dce_rpc.call' || c === null) return;
    const op = `${ev.endpoint as string} ${ev.operation as string}`;
    if (REMOTE_EXEC_OPERATIONS.get(ev.endpoint as string)?.has(ev.operation as string) !== true) return;
    let e = this.execOps.get(c);
    if (e === undefined) {
      if (this.execOps.size >= MAX_EXEC_CONNS) evictOldest(this.execOps);
      e = { ops: [], evidence: [] };
      this.execOps.set(c, e);
    }
    if (e.ops.includes(op) || e.ops.length >= MAX_EXEC_OPS) return;
    e.ops.push(op);
    e.evidence.push(eventEvidence('remote-execution-call', op, 'dce_rpc.operation', ev, c, m, eventFile(this.ctx, ev, c, m)));
  }

  onConn(v: ConnView, c?: Conn): void {
    const exec = c === undefined ? undefined : this.execOps.get(c);
    if (exec !== undefined) this.execOps.delete(c!);
    if (!v.origInternal || !v.respInternal || v.orig === v.resp) return;
    const proto = adminProtocol(v);
    if (proto !== null) this.judge({ kind: 'admin', v, proto, count: 1, evidence: [connEvidence(v, 'admin-connection'), ...(exec?.evidence ?? [])], ops: exec?.ops });
    this.fan(v);
  }

  private fan(v: ConnView): void {
    // Only sources that are, or may turn out to be, medical/IoT devices are worth the memory.
    if (!this.ctx.classified) return;
    const cat = this.ctx.category(v.orig, v.origMac);
    if (cat !== null && !isMedIot(cat)) return;
    const cfg = this.ctx.cfg;
    let f = this.fanout.get(v.orig);
    if (f === undefined || v.start - f.windowStart > cfg.fanoutWindowSecs) {
      if (f === undefined && this.fanout.size >= cfg.maxSources) evictOldest(this.fanout);
      if (f !== undefined) this.fanout.delete(v.orig);
      f = { windowStart: v.start, hosts: new Set(), evidence: [] };
      this.fanout.set(v.orig, f);
    }
    if (f.hosts.has(v.resp) || this.knownPeer(v.orig, v.resp)) return;
    const open = this.ctx.book.get('lateral-movement', `fanout|${v.orig}`);
    if (f.hosts.size >= cfg.fanoutThreshold) {
      if (open !== undefined) this.judge({ kind: 'fanout', v, proto: '', count: -1, evidence: [] });
      return;
    }
    f.hosts.add(v.resp);
    if (f.evidence.length < cfg.maxEvidence) f.evidence.push(connEvidence(v, 'new-internal-peer'));
    if (f.hosts.size === cfg.fanoutThreshold) this.judge({ kind: 'fanout', v, proto: '', count: f.hosts.size, evidence: f.evidence.slice() });
  }

  /** Raises now if the source is medical/IoT, waits if its category is unknown, drops it otherwise. */
  private judge(p: Pending): void {
    const cat = this.ctx.category(p.v.orig, p.v.origMac);
    if (cat === null) {
      if (!this.ctx.classified) return;
      if (this.pending.length >= this.ctx.cfg.maxPending) {
        this.pending.shift();
        this.droppedPending++;
      }
      this.pending.push(p);
      return;
    }
    if (isMedIot(cat)) this.raise(p, cat);
  }

  private raise(p: Pending, cat: Category): void {
    const ctx = this.ctx;
    const v = p.v;
    const device = ctx.deviceId(v.orig, v.origMac);
    if (p.kind === 'admin') {
      const key = `admin|${v.orig}|${p.proto}`;
      if (ctx.book.get('lateral-movement', key) === undefined) this.targets.delete(key);
      let t = this.targets.get(key);
      if (t === undefined) {
        if (this.targets.size >= ctx.cfg.maxSources) evictOldest(this.targets);
        t = new Set();
        this.targets.set(key, t);
      }
      if (t.size < MAX_ADMIN_TARGETS) t.add(v.resp);
      const ok = v.answered;
      const hosts = t.size === 1 ? `internal host ${v.resp}` : `${t.size} internal hosts (latest ${v.resp})`;
      const exec = p.ops === undefined ? '' : ` and called remote-execution operations (${p.ops.join(', ')})`;
      ctx.book.observe({
        rule: 'lateral-movement',
        key,
        device,
        peer: v.resp,
        ts: v.start,
        severity: ok ? 'high' : 'medium',
        why: `${cat} device ${v.orig} opened ${p.proto} to ${hosts}${exec}${ok ? '' : '; not answered'}: medical and IoT devices are administered, they do not administer other hosts`,
        evidence: p.evidence,
      });
      return;
    }
    const key = `fanout|${v.orig}`;
    const open = ctx.book.get('lateral-movement', key);
    const n = p.count < 0 ? (open?.count ?? ctx.cfg.fanoutThreshold) + 1 : p.count;
    ctx.book.observe({
      rule: 'lateral-movement',
      key,
      device,
      peer: null,
      ts: v.start,
      count: n,
      why: `${cat} device ${v.orig} contacted ${n} internal hosts it had never spoken to within ${ctx.cfg.fanoutWindowSecs} s (threshold ${ctx.cfg.fanoutThreshold})`,
      evidence: p.evidence,
    });
  }

  /**
   * Housekeeping at network time `now`: drops fan-out windows no late report can land in, and
   * the host lists of admin alerts that have closed (a new alert starts a new list anyway).
   */
  expire(now: number): void {
    const horizon = this.ctx.cfg.fanoutWindowSecs + LATE_REPORT_SECS;
    for (const [k, f] of this.fanout) if (now - f.windowStart > horizon) this.fanout.delete(k);
    for (const k of this.targets.keys()) if (this.ctx.book.get('lateral-movement', k) === undefined) this.targets.delete(k);
  }

  /** Judges waiting connections whose source category is now known; drops the expired. */
  resolve(now: number, final = false): void {
    if (this.pending.length === 0) return;
    const keep: Pending[] = [];
    for (const p of this.pending) {
      const cat = this.ctx.category(p.v.orig, p.v.origMac);
      if (cat !== null) {
        if (isMedIot(cat)) this.raise(p, cat);
      } else if (!final && now - p.v.start <= this.ctx.cfg.pendingTtlSecs) {
        keep.push(p);
      }
    }
    this.pending.length = 0;
    this.pending.push(...keep);
  }

  pendingCount(): number {
    return this.pending.length;
  }
}
