// Active Directory attack techniques seen on the wire, from the DCE/RPC operations the dce_rpc
// analyzer names (one dce_rpc.call per answered request):
//  - DCSync (MITRE ATT&CK T1003.006): MS-DRSR 4.1.10 IDL_DRSGetNCChanges, the replication call a DC
//    makes to another DC, asked by a host that is not itself a domain controller: it pulls the
//    password hashes of the accounts it names (mimikatz lsadump::dcsync, impacket secretsdump);
//  - coerced authentication (T1187) against a DC or server: MS-EFSR file calls (PetitPotam), the
//    MS-RPRN change-notification "printer bug" and MS-DFSNM NetrDfsAddStdRoot/RemoveStdRoot make
//    the target's machine account authenticate to a path the caller names, to be relayed;
//  - PrintNightmare (CVE-2021-34527, CVE-2021-1675): MS-RPRN RpcAddPrinterDriverEx / MS-PAR
//    RpcAsyncAddPrinterDriver, a remote driver install that loads the caller's DLL as SYSTEM;
//  - AS-REP roasting (T1558.004): one client receiving AS-REPs without pre-authentication for
//    several accounts (asrepRoastAccounts) within the Kerberoasting window;
//  - Kerberos user enumeration (T1087.002): one client asking AS tickets without pre-authentication
//    for many different names (krbEnumAccounts) within the Kerberoasting window and logging on
//    with none of them: the KDC answers an unknown name PRINCIPAL_UNKNOWN and a real one
//    PREAUTH_REQUIRED, which tells the asker which accounts exist without a password and without a
//    failed logon that could lock them (nmap's krb5-enum-users, kerbrute userenum). A logon gets
//    the same PREAUTH_REQUIRED first, then asks again with pre-authentication: that name is
//    taken back, so a terminal server where many clinicians log on stays silent;
//  - Kerberoasting (T1558.003), from the Kerberos analyzer's exchanges: one client receiving
//    service tickets under RC4 or DES (crackable offline) for many different services in a short
//    time, as GetUserSPNs and Rubeus do for every account with an SPN. A workstation's logon asks
//    for a handful (Windows XP logging on to a 2003 domain: five, all RC4, in nDPI's capture).
// "Is a domain controller" comes from the traffic, never from a name: the host answered Kerberos
// (88) or the Global Catalog (3268/3269), answered drsuapi or netlogon calls, registered the
// domain's NetBIOS <1C> group name, or announced the domain-controller server type (the facts the
// inventory gives role domain-controller for). LDAP alone is not enough (OpenLDAP and other
// directories answer it), since proving a DCSync source a DC silences a critical alert. Calls
// whose verdict needs that proof wait for it, bounded in number and time, and are judged at the
// end of the input at the latest.
import type { Evidence, Severity } from '../report/model.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import type { AppEvent } from '../analyzers/types.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { formatMac } from '../decode/packet.js';
import { browserIsDomainController } from '../inventory/os-parse.js';
import { eventEvidence, eventFile, type ConnView, type DetectorContext } from './view.js';
import { windowEntry } from './window.js';
import { evictOldest } from '../util/evict.js';

/** Which targets make the call an attack: any, a proven DC, or a proven DC or a server. */
type TargetRule = 'any' | 'dc' | 'dc-or-server';

interface Technique {
  id: 'dcsync' | 'petitpotam' | 'printer-bug' | 'dfscoerce' | 'printnightmare';
  name: string;
  mitre: string;
  severity: Severity;
  target: TargetRule;
  /** The source must not be a proven domain controller (replication between DCs is normal). */
  sourceNotDc: boolean;
}

const DCSYNC: Technique = { id: 'dcsync', name: 'DCSync', mitre: 'T1003.006', severity: 'critical', target: 'any', sourceNotDc: true };
const PETITPOTAM: Technique = { id: 'petitpotam', name: 'PetitPotam coerced authentication (MS-EFSR)', mitre: 'T1187', severity: 'high', target: 'dc-or-server', sourceNotDc: false };
// Print clients ask print servers for change notifications all day: only a DC as target is odd.
const PRINTER_BUG: Technique = { id: 'printer-bug', name: 'printer-bug coerced authentication (MS-RPRN)', mitre: 'T1187', severity: 'high', target: 'dc', sourceNotDc: false };
const DFS_COERCE: Technique = { id: 'dfscoerce', name: 'DFSCoerce coerced authentication (MS-DFSNM)', mitre: 'T1187', severity: 'high', target: 'dc-or-server', sourceNotDc: false };
const PRINTNIGHTMARE: Technique = { id: 'printnightmare', name: 'PrintNightmare remote driver install (CVE-2021-34527/CVE-2021-1675)', mitre: 'T1574 / T1068', severity: 'critical', target: 'any', sourceNotDc: false };

/** endpoint → operation → technique, with endpoint and operation names as dce_rpc.log prints them. */
export const DOMAIN_ATTACK_OPERATIONS: ReadonlyMap<string, ReadonlyMap<string, Technique>> = new Map<string, Map<string, Technique>>([
  ['drsuapi', new Map([['DRSGetNCChanges', DCSYNC]])],
  // MS-EFSR 3.1.4.2: every call that takes a file name opens it, UNC paths included.
  [
    'efsrpc',
    new Map(
      ['EfsRpcOpenFileRaw', 'EfsRpcEncryptFileSrv', 'EfsRpcDecryptFileSrv', 'EfsRpcQueryUsersOnFile', 'EfsRpcQueryRecoveryAgents', 'EfsRpcRemoveUsersFromFile', 'EfsRpcAddUsersToFile', 'EfsRpcFileKeyInfo', 'EfsRpcDuplicateEncryptionInfoFile', 'EfsRpcAddUsersToFileEx'].map(
        (op) => [op, PETITPOTAM],
      ),
    ),
  ],
  [
    'spoolss',
    new Map([
      ['RpcRemoteFindFirstPrinterChangeNotification', PRINTER_BUG],
      ['RpcRemoteFindFirstPrinterChangeNotificationEx', PRINTER_BUG],
      ['RpcAddPrinterDriverEx', PRINTNIGHTMARE],
    ]),
  ],
  ['IRemoteWinspool', new Map([['RpcAsyncAddPrinterDriver', PRINTNIGHTMARE]])],
  [
    'netdfs',
    new Map([
      ['NetrDfsAddStdRoot', DFS_COERCE],
      ['NetrDfsRemoveStdRoot', DFS_COERCE],
    ]),
  ],
]);

/** Interfaces only a domain controller serves: answering a call on one proves it. */
const DC_ONLY_ENDPOINTS = new Set(['drsuapi', 'netlogon']);
/** TCP/UDP ports only a domain controller answers in an AD network: Kerberos KDC, Global Catalog. */
const DC_PORTS = new Set([88, 3268, 3269]);
const DC_SERVICES = new Set(['krb', 'krb_tcp']);
/** MS-NBTE / [MS-WPO]: the domain's group name with suffix 0x1C lists its domain controllers. */
const NB_DOMAIN_CONTROLLERS = 0x1c;
/** Operations named in one alert's wording. */
const MAX_EPISODE_OPS = 8;

/**
 * A client's Kerberos names of one kind in its current window: the services of its RC4/DES
 * tickets, the accounts of its AS-REPs without pre-authentication, or the names it asked about
 * without pre-authentication (with whether the KDC said they exist).
 */
interface Roast<V> {
  first: number;
  /** lower-case name → what is kept of it */
  names: Map<string, V>;
  kdc: string;
  mac: string | null;
  evidence: Evidence[];
}

/** A name asked without pre-authentication, as asked, and whether the KDC said it exists. */
interface Probed {
  name: string;
  exists: boolean;
}
/** KRB-ERROR codes (RFC 4120 §7.5.9): the client name is unknown; pre-authentication is required. */
const KDC_ERR_C_PRINCIPAL_UNKNOWN = 6;
const KDC_ERR_PREAUTH_REQUIRED = 25;

/** The first five of some names, "…" after them when there are more. */
function firstFive(names: Iterable<string>): string {
  const all = [...names];
  return `${all.slice(0, 5).join(', ')}${all.length > 5 ? ' …' : ''}`;
}

/** Services remembered per client window. */
const MAX_ROAST_SERVICES = 64;
const ROAST_EVIDENCE = 5;

interface Call {
  t: Technique;
  src: string;
  dst: string;
  srcMac: string | null;
  dstMac: string | null;
  op: string;
  ts: number;
  evidence: Evidence;
}

export class DomainAttackDetector {
  /** Address → why it is a domain controller (bounded; oldest proof forgotten first). */
  private readonly dcs = new Map<string, string>();
  private readonly pending: Call[] = [];
  /** `technique|src|dst` → operations called during its open alert. */
  private readonly ops = new Map<string, string[]>();
  /** client → its weak service tickets in the current window */
  private readonly roasts = new Map<string, Roast<string>>();
  /** client → the accounts it got AS-REPs without pre-authentication for, in its current window */
  private readonly asreps = new Map<string, Roast<string>>();
  /** client → the names it probed without pre-authentication, in its current window */
  private readonly probes = new Map<string, Roast<Probed>>();
  droppedPending = 0;

  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type === 'nbns.name') {
      const op = ev.opcode_name;
      if (ev.is_response !== true && ev.group === true && ev.suffix === NB_DOMAIN_CONTROLLERS && (op === 'netbios-registration' || op === 'netbios-refresh')) {
        const who = typeof ev.addr === 'string' ? ev.addr : ev.host;
        if (typeof who === 'string') this.proveDc(who, 'registered the NetBIOS <1C> domain-controllers name');
      }
      return;
    }
    if (ev.type === 'netbios.datagram') {
      if (typeof ev.server_type === 'number' && typeof ev.host === 'string' && browserIsDomainController(ev.server_type)) this.proveDc(ev.host, 'announced the domain-controller browser server type');
      return;
    }
    if (ev.type === 'krb.transaction') {
      if (c !== null) {
        this.serviceTicket(ev, c, m);
        this.asReply(ev, c, m);
        this.asProbe(ev, c, m);
      }
      return;
    }
    if (ev.type === 'krb.preauth_required') {
      if (c !== null && typeof ev.client === 'string') this.probe(ev.client, true, ev, c, m);
      return;
    }
    if (ev.type !== 'dce_rpc.call' || c === null) return;
    const endpoint = ev.endpoint as string;
    const operation = ev.operation as string;
    const dst = respAddr(c);
    // The event exists because the responder answered the call.
    if (DC_ONLY_ENDPOINTS.has(endpoint)) this.proveDc(dst, `answered ${endpoint} calls`);
    const t = DOMAIN_ATTACK_OPERATIONS.get(endpoint)?.get(operation);
    if (t === undefined || !this.ctx.internal.has(c.o0, c.o1, c.o2, c.o3)) return;
    const src = origAddr(c);
    if (src === dst) return;
    const op = `${endpoint} ${operation}`;
    const evidence = eventEvidence(t.id === 'dcsync' ? 'replication-request' : 'domain-attack-call', op, 'dce_rpc.operation', ev, c, m, eventFile(this.ctx, ev, c, m));
    const call: Call = { t, src, dst, srcMac: c.origMac === 0 ? null : formatMac(c.origMac), dstMac: c.respMac === 0 ? null : formatMac(c.respMac), op, ts: evidence.ts, evidence };
    if (!this.judge(call, false)) this.wait(call);
  }

  /** A TGS exchange that gave the client a ticket under RC4 or DES for a service (not krbtgt). */
  private serviceTicket(ev: AppEvent, c: Conn, m: PacketMeta): void {
    if (ev.request_type !== 'TGS' || ev.success !== true || ev.weak_cipher !== true || typeof ev.service !== 'string') return;
    const service = ev.service;
    if (service === '' || service.toLowerCase().startsWith('krbtgt/')) return;
    const e = (): Evidence => eventEvidence('service-ticket', `TGS for ${service} under ${String(ev.cipher ?? 'a weak type')}`, 'kerberos.cipher', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.roast(this.roasts, 'kerberoasting', this.ctx.cfg.kerberoastServices, 'high', service, service, e, c, m, (client, r, mins) =>
      `Kerberoasting (MITRE ATT&CK T1558.003): ${client} received RC4/DES service tickets for ${r.names.size} different services within ${mins} minutes (${firstFive(r.names.values())}) from ${r.kdc}: each is encrypted with its account's password hash and can be cracked offline`);
  }

  /**
   * An AS exchange answered without pre-authentication (the request carried none, and a ticket
   * came): the reply's encrypted part is made with the account's password key, crackable offline.
   * One client collecting such replies for several accounts is AS-REP roasting.
   */
  private asReply(ev: AppEvent, c: Conn, m: PacketMeta): void {
    if (ev.request_type !== 'AS' || ev.success !== true || ev.preauth !== false || typeof ev.client !== 'string' || ev.client === '') return;
    const account = ev.client;
    const e = (): Evidence => eventEvidence('as-reply-without-preauth', `AS-REP for ${account} under ${String(ev.cipher ?? 'an unnamed type')}, asked without pre-authentication`, 'kerberos.preauth', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.roast(this.asreps, 'asrep-roasting', this.ctx.cfg.asrepRoastAccounts, 'high', account, account, e, c, m, (client, r, mins) =>
      `AS-REP roasting (MITRE ATT&CK T1558.004): ${client} received AS-REPs without pre-authentication for ${r.names.size} different accounts within ${mins} minutes (${firstFive(r.names.values())}) from ${r.kdc}: accounts that do not require Kerberos pre-authentication are answered without proof of the password, and each reply's encrypted part can be cracked offline (GetNPUsers, Rubeus asreproast)`);
  }

  /**
   * An AS exchange as evidence of enumeration: asked without pre-authentication and answered
   * "unknown name" (or "pre-authentication required" when the KDC gave no e-text the analyzer
   * drops, or a ticket: the name exists either way); asked with it, a logon, whose name the
   * client's window gives back.
   */
  private asProbe(ev: AppEvent, c: Conn, m: PacketMeta): void {
    if (ev.request_type !== 'AS' || typeof ev.client !== 'string' || ev.client === '') return;
    if (ev.preauth === true) {
      this.probes.get(origAddr(c))?.names.delete(ev.client.toLowerCase());
      return;
    }
    if (ev.preauth !== false) return;
    if (ev.error_code === KDC_ERR_C_PRINCIPAL_UNKNOWN) this.probe(ev.client, false, ev, c, m);
    else if (ev.error_code === KDC_ERR_PREAUTH_REQUIRED || ev.success === true) this.probe(ev.client, true, ev, c, m);
  }

  /** A name an internal client asked about without pre-authentication; at krbEnumAccounts pending names, the alert. */
  private probe(name: string, exists: boolean, ev: AppEvent, c: Conn, m: PacketMeta): void {
    const answer = exists ? 'the account exists (pre-authentication required)' : 'no such account (PRINCIPAL_UNKNOWN)';
    const e = (): Evidence => eventEvidence('as-request-without-preauth', `AS request for ${name} without pre-authentication: ${answer}`, exists ? 'kerberos.error_code' : 'kerberos.error_msg', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.roast(this.probes, 'kerberos-user-enumeration', this.ctx.cfg.krbEnumAccounts, 'medium', name, { name, exists }, e, c, m, (client, r, mins) => {
      const found: string[] = [];
      for (const v of r.names.values()) if (v.exists) found.push(v.name);
      const unknown = r.names.size - found.length;
      return `Kerberos user enumeration (MITRE ATT&CK T1087.002): ${client} asked ${r.kdc} for tickets for ${r.names.size} different accounts without pre-authentication within ${mins} minutes and logged on with none of them: ${unknown} ${unknown === 1 ? 'name' : 'names'} the KDC does not know, ${found.length} it does${found.length > 0 ? ` (${firstFive(found)})` : ''}. The answers tell which accounts exist without a password and without a failed logon that could lock them (nmap's krb5-enum-users, kerbrute userenum); password spraying or AS-REP roasting of the names found usually follows`;
    });
  }

  /**
   * A Kerberos name of one kind that an internal client got or asked for (a service's weak
   * ticket, an account's AS-REP or its existence): kept as `value` in the client's current
   * Kerberoasting window; at `threshold` different names, the alert `kind`, worded by `why`
   * (given the window and its length in minutes).
   */
  private roast<V>(roasts: Map<string, Roast<V>>, kind: string, threshold: number, severity: Severity, name: string, value: V, evidence: () => Evidence, c: Conn, m: PacketMeta, why: (client: string, r: Roast<V>, mins: number) => string): void {
    if (!this.ctx.internal.has(c.o0, c.o1, c.o2, c.o3)) return;
    const cfg = this.ctx.cfg;
    const client = origAddr(c);
    const ts = m.ts;
    const r = windowEntry(roasts, client, ts, cfg.kerberoastWindowSecs, cfg.maxSources, (): Roast<V> => ({ first: ts, names: new Map(), kdc: respAddr(c), mac: c.origMac === 0 ? null : formatMac(c.origMac), evidence: [] })).entry;
    const lower = name.toLowerCase();
    if (r.names.has(lower) || r.names.size >= MAX_ROAST_SERVICES) return;
    r.names.set(lower, value);
    if (r.evidence.length < ROAST_EVIDENCE) r.evidence.push(evidence());
    if (r.names.size < threshold) return;
    this.ctx.book.observe({
      rule: 'domain-attack',
      key: `${kind}|${client}`,
      device: this.ctx.deviceId(client, r.mac),
      peer: r.kdc,
      ts,
      severity,
      why: why(client, r, Math.round(cfg.kerberoastWindowSecs / 60)),
      evidence: r.evidence.slice(),
    });
  }

  /** Kerberos and Global Catalog responders are domain controllers. */
  onConn(v: ConnView): void {
    if (!v.answered || !v.respInternal) return;
    let krb = false;
    for (const s of v.service.split(',')) if (DC_SERVICES.has(s)) krb = true;
    if (krb || (v.service === '' && DC_PORTS.has(v.rPort))) this.proveDc(v.resp, krb ? 'answered Kerberos' : `answered on ${v.proto}/${v.rPort} (Kerberos / Global Catalog)`);
  }

  private proveDc(ip: string, why: string): void {
    if (this.dcs.has(ip)) return;
    if (this.dcs.size >= this.ctx.cfg.maxSources) evictOldest(this.dcs);
    this.dcs.set(ip, why);
  }

  /** Why the address is a domain controller, or undefined when nothing proved it. */
  dcProof(ip: string): string | undefined {
    return this.dcs.get(ip);
  }

  /** Raises, drops, or (when the verdict needs proof not seen yet) waits; `final` decides with what is known. */
  private judge(call: Call, final: boolean): boolean {
    const t = call.t;
    if (t.sourceNotDc && this.dcs.has(call.src)) return true;
    let targetOk = t.target === 'any' || this.dcs.has(call.dst);
    if (!targetOk && t.target === 'dc-or-server') targetOk = this.ctx.category(call.dst, call.dstMac) === 'server';
    if (targetOk && !t.sourceNotDc) {
      this.raise(call);
      return true;
    }
    if (!final) return false;
    if (targetOk) this.raise(call);
    return true;
  }

  private wait(call: Call): void {
    if (this.pending.length >= this.ctx.cfg.maxPending) {
      this.pending.shift();
      this.droppedPending++;
    }
    this.pending.push(call);
  }

  private raise(call: Call): void {
    const t = call.t;
    const key = `${t.id}|${call.src}|${call.dst}`;
    // The operations of the open episode, for the wording; a new episode starts a new list.
    let ops = this.ctx.book.get('domain-attack', key) === undefined ? undefined : this.ops.get(key);
    if (ops === undefined) {
      this.ops.delete(key);
      if (this.ops.size >= this.ctx.cfg.maxSources) evictOldest(this.ops);
      ops = [];
      this.ops.set(key, ops);
    }
    if (!ops.includes(call.op) && ops.length < MAX_EPISODE_OPS) ops.push(call.op);
    const target = this.dcs.get(call.dst);
    const targetWhat = target !== undefined ? `domain controller ${call.dst} (it ${target})` : this.ctx.category(call.dst, call.dstMac) === 'server' ? `server ${call.dst}` : call.dst;
    const source = t.sourceNotDc ? `${call.src}, which nothing shows to be a domain controller,` : call.src;
    this.ctx.book.observe({
      rule: 'domain-attack',
      key,
      device: this.ctx.deviceId(call.src, call.srcMac),
      peer: call.dst,
      ts: call.ts,
      severity: t.severity,
      why: `${t.name} (MITRE ATT&CK ${t.mitre}): ${source} called ${ops.join(', ')} on ${targetWhat}`,
      evidence: [call.evidence],
    });
  }

  /** Judges waiting calls whose proof has arrived; past the wait (or at the end) decides with what is known. */
  resolve(now: number, final = false): void {
    if (this.pending.length === 0) return;
    const keep: Call[] = [];
    const wait = this.ctx.cfg.domainProofWaitSecs;
    for (const p of this.pending) if (!this.judge(p, final || now - p.ts > wait)) keep.push(p);
    this.pending.length = 0;
    this.pending.push(...keep);
  }

  pendingCount(): number {
    return this.pending.length;
  }

  size(): number {
    return this.dcs.size;
  }
}
