// SNMP writes. An agent with a read-write community (or a v3 user with write access) lets the
// holder change what its MIB exposes: on a switch or router, a configuration copy to or from a
// file server (CISCO-CONFIG-COPY-MIB, OLD-CISCO-SYS-MIB writeNet/hostConfigSet: the device's
// configuration with its passwords sent to the attacker, or a new one loaded), interfaces shut
// (IF-MIB ifAdminStatus), a printer reset (Printer MIB). Those are judged wherever they come
// from, unless from a listed manager (`snmpManagers`): high when the agent accepted them, medium
// when it refused (the write community was right; the table was not there). Any other accepted
// write is judged only when the managers are listed, from any other host: medium. A set is judged
// by its response (error status 0: accepted), paired by request id; one alert per (client, agent)
// episode, naming what was written; the client is the device, the agent the peer. Values are
// never read (a set may carry a community or a password in another MIB).
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence, Severity } from '../report/model.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { NetSet } from './net.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { evictOldest } from '../util/evict.js';
import { episodeEntry } from './window.js';

/** OID prefixes whose writes act on the device, with what they do. */
const DANGEROUS: readonly (readonly [string, string])[] = [
  ['1.3.6.1.4.1.9.9.96.1.1.1.1.', 'a Cisco configuration copy (CISCO-CONFIG-COPY-MIB ccCopyTable: the configuration sent to a file server, or one loaded from it)'],
  ['1.3.6.1.4.1.9.2.1.55.', 'a Cisco configuration write to a TFTP server (OLD-CISCO-SYS-MIB writeNet)'],
  ['1.3.6.1.4.1.9.2.1.53.', 'a Cisco configuration load from a TFTP server (OLD-CISCO-SYS-MIB hostConfigSet)'],
  ['1.3.6.1.2.1.2.2.1.7.', "an interface's administrative status (IF-MIB ifAdminStatus: down takes the link off the network)"],
  ['1.3.6.1.2.1.43.5.1.1.3.', 'a printer reset (Printer MIB prtGeneralReset)'],
];
/** Names of ordinary writable objects, for the wording. */
const NAMES: readonly (readonly [string, string])[] = [
  ['1.3.6.1.2.1.1.4.', 'sysContact'],
  ['1.3.6.1.2.1.1.5.', 'sysName'],
  ['1.3.6.1.2.1.1.6.', 'sysLocation'],
];
/** RFC 3416 §3 error-status names. */
const ERRORS = ['noError', 'tooBig', 'noSuchName', 'badValue', 'readOnly', 'genErr', 'noAccess', 'wrongType', 'wrongLength', 'wrongEncoding', 'wrongValue', 'noCreation', 'inconsistentValue', 'resourceUnavailable', 'commitFailed', 'undoFailed', 'authorizationError', 'notWritable', 'inconsistentName'];
/** Sets awaiting their response (a manager sends few; the bound is for a flood). */
const MAX_PENDING = 4096;
/** Distinct writes named in one alert's wording. */
const MAX_EPISODE_ITEMS = 8;

interface PendingSet {
  oids: string[];
  evidence: Evidence;
}

export class SnmpWriteDetector {
  private readonly managers: NetSet;
  private readonly listed: boolean;
  /** `conn uid|request id` → the set awaiting its response */
  private readonly pending = new Map<string, PendingSet>();
  /** `client|agent` → what its open episode wrote, for the wording */
  private readonly episodes = new Map<string, string[]>();

  constructor(private readonly ctx: DetectorContext) {
    this.managers = new NetSet(ctx.cfg.snmpManagers);
    this.listed = ctx.cfg.snmpManagers.length > 0;
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || ev.type !== 'snmp.pdu' || typeof ev.request_id !== 'number') return;
    const id = `${c.uid}|${ev.request_id}`;
    if (ev.pdu_type === 'set_request' && ev.is_orig === true) {
      if (this.managers.has(c.o0, c.o1, c.o2, c.o3)) return;
      const oids = Array.isArray(ev.oids) ? ev.oids.filter((o): o is string => typeof o === 'string') : [];
      if (oids.length === 0) return;
      if (!this.pending.has(id) && this.pending.size >= MAX_PENDING) evictOldest(this.pending);
      const e = eventEvidence('snmp-set', `SetRequest ${ev.request_id} of ${oids.map(name).join(', ')}`, 'snmp.pdu', ev, c, m, eventFile(this.ctx, ev, c, m));
      this.pending.set(id, { oids, evidence: e });
    } else if (ev.pdu_type === 'response' && ev.is_orig === false) {
      const p = this.pending.get(id);
      if (p === undefined) return;
      this.pending.delete(id);
      const status = typeof ev.error_status === 'number' ? ev.error_status : -1;
      this.judge(c, p, status, ev, m);
    }
  }

  private judge(c: Conn, p: PendingSet, status: number, ev: AppEvent, m: PacketMeta): void {
    const accepted = status === 0;
    const acts = [...new Set(p.oids.map(dangerous).filter((x): x is string => x !== null))];
    let severity: Severity;
    let items: string[];
    if (acts.length > 0) {
      severity = accepted ? 'high' : 'medium';
      items = acts;
    } else if (this.listed && accepted) {
      severity = 'medium';
      items = [`a write of ${[...new Set(p.oids.map(name))].join(', ')}`];
    } else return;
    const client = origAddr(c);
    const agent = respAddr(c);
    const key = `${client}|${agent}`;
    const said = episodeEntry(this.ctx.book.get('snmp-write', key) !== undefined, this.episodes, key, this.ctx.cfg.maxSources, (): string[] => []);
    const outcome = accepted ? 'accepted' : `refused (${ERRORS[status] ?? `error ${status}`})`;
    for (const i of items) {
      const t = `${i}, ${outcome}`;
      if (!said.includes(t) && said.length < MAX_EPISODE_ITEMS) said.push(t);
    }
    const e = eventEvidence('snmp-response', `Response ${String(ev.request_id)}: ${accepted ? 'noError (the write was made)' : ERRORS[status] ?? `error ${status}`}`, 'snmp.pdu', ev, c, m, eventFile(this.ctx, ev, c, m));
    const who = this.listed ? `not one of the snmpManagers (${this.ctx.cfg.snmpManagers.join(', ')})` : 'no manager is listed (snmpManagers)';
    this.ctx.book.observe({
      rule: 'snmp-write',
      key,
      device: this.ctx.deviceId(client, c.origMac === 0 ? null : formatMac(c.origMac)),
      peer: agent,
      ts: e.ts,
      severity,
      why: `${client}, ${who}, wrote over SNMP to the agent ${agent}: ${said.join('; ')} — the write community (or a v3 user with write access) is in its hands`,
      evidence: [p.evidence, e],
    });
  }

  size(): number {
    return this.pending.size + this.episodes.size;
  }
}

function dangerous(oid: string): string | null {
  for (const [p, what] of DANGEROUS) if (oid.startsWith(p)) return what;
  return null;
}

function name(oid: string): string {
  for (const [p, n] of NAMES) if (oid.startsWith(p)) return `${n} (${oid})`;
  return oid;
}
