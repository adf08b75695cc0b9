// Per-flow SNMP state (one UDP 5-tuple, as Zeek's SNMP session): counts varbinds per PDU kind,
// takes sysDescr/sysUpTime and the rest of the system group from responses, reports each
// community as a keyed digest (with whether it is a well-known default), and emits the session
// summary for snmp.log when the flow ends.
//
// Every community a request carries is reported as tried (`snmp.community`: guessing is counted
// from these), but as a credential the agent accepts (`snmp.credential`) only once the agent
// answers a request that carried it. An agent stays silent to a community it does not know (RFC
// 1157 §4.1, RFC 3584 §5.2.1: the message is discarded and snmpInBadCommunityNames counted), so
// an unanswered request shows no accepting agent: it is how scanners and guessers probe every
// address with "public". Such a community is reported when the flow ends, `answered: false`, so
// the finding goes to the device that sent it. Traps and informs are accepted by the receiver
// without a reply.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { formatAddr } from '../../decode/packet.js';
import { secretDigest } from '../secret.js';
import { PDU_GET, PDU_GETBULK, PDU_GETNEXT, PDU_INFORM, PDU_NAMES, PDU_REPORT, PDU_RESPONSE, PDU_SET, PDU_TRAP_V1, PDU_TRAP_V2, PDU_UNREADABLE, VERSION_1, VERSION_2C, VERSION_3, parseSnmp } from './parse.js';

/** Communities every SNMP agent ships with (RFC 1157 practice; PRODUCT.md default-credentials). */
const DEFAULT_COMMUNITIES = new Set(['public', 'private']);
const OID_SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const OID_SYS_OBJECT_ID = '1.3.6.1.2.1.1.2.0';
const OID_SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const OID_SYS_CONTACT = '1.3.6.1.2.1.1.4.0';
const OID_SYS_NAME = '1.3.6.1.2.1.1.5.0';
const OID_SYS_LOCATION = '1.3.6.1.2.1.1.6.0';
/** TimeTicks are hundredths of a second (RFC 2578 §7.1.8). */
const TICKS_PER_SECOND = 100;
/** Where managers receive traps and informs (RFC 3417 §3). */
const SNMP_TRAP_PORT = 162;
/** Distinct communities reported per flow. */
const MAX_COMMUNITIES = 8;
/** OIDs listed per PDU event. */
const MAX_EVENT_OIDS = 16;
const VERSION_NAMES: Record<number, string> = { [VERSION_1]: '1', [VERSION_2C]: '2c', [VERSION_3]: '3' };

/** A community event: `toResp` says the responder of the flow is the side it went to (the server). */
function communityEvent(ctx: AnalyzerContext, type: 'snmp.community' | 'snmp.credential', toResp: boolean, secret: string, isDefault: boolean, version: string | undefined, packet: number): Record<string, unknown> & { type: string } {
  const c = ctx.conn;
  const resp = formatAddr(c.r0, c.r1, c.r2, c.r3);
  const orig = formatAddr(c.o0, c.o1, c.o2, c.o3);
  return { type, server: toResp ? resp : orig, server_p: toResp ? c.rPort : c.oPort, client: toResp ? orig : resp, version, secret, community_is_default: isDefault, packet };
}

export class SnmpAnalyzer implements FlowAnalyzer {
  private started = false;
  private tsSec = 0;
  private tsNsec = 0;
  private firstTs = 0;
  private lastTs = 0;
  private version = '';
  private communitySeen = false;
  private user: string | undefined;
  private getRequests = 0;
  private getBulkRequests = 0;
  private getResponses = 0;
  private setRequests = 0;
  private displayString: string | undefined;
  private upSince: number | undefined;
  /** Communities reported as tried (requests), and as accepted (answered, or a trap's). */
  private readonly tried = new Set<string>();
  private readonly accepted = new Set<string>();
  /** Request packet of each tried community, until the agent answers one that carried it. */
  private readonly pending = new Map<string, { packet: number; toResp: boolean; isDefault: boolean; version: string | undefined }>();
  private bad = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const m = parseSnmp(buf, off, len);
    if (m === 'bad') {
      ctx.weird('snmp.malformed');
      this.bad++;
      return;
    }
    if (m.lengthError) ctx.weird('snmp.length_overrun');
    if (m.malformed) ctx.weird('snmp.malformed_pdu');
    const pkt = ctx.packet;
    if (!this.started) {
      this.started = true;
      this.tsSec = pkt.tsSec;
      this.tsNsec = pkt.tsNsec;
      this.firstTs = pkt.ts;
      this.version = VERSION_NAMES[m.version] ?? 'unknown';
      ctx.confirm('snmp');
    }
    this.lastTs = pkt.ts;
    if (m.community !== undefined) {
      this.communitySeen = true;
      this.community(ctx, isOrig, m.community, m.pduType, VERSION_NAMES[m.version]);
    }
    // A v1/v2c PDU that could not be read: its community counted above, nothing else to say.
    if (m.pduType === PDU_UNREADABLE && m.community !== undefined) return;
    if (m.user !== undefined && m.user !== '' && this.user === undefined) this.user = m.user;
    const n = m.varbinds.length;
    if (m.pduType === PDU_GET || m.pduType === PDU_GETNEXT) this.getRequests += n;
    else if (m.pduType === PDU_GETBULK) this.getBulkRequests += n;
    else if (m.pduType === PDU_RESPONSE) this.getResponses += n;
    else if (m.pduType === PDU_SET) this.setRequests += n;
    const ev: Record<string, unknown> = {
      type: 'snmp.pdu',
      is_orig: isOrig,
      version: VERSION_NAMES[m.version],
      pdu_type: PDU_NAMES[m.pduType],
    };
    if (m.requestId !== undefined) ev.request_id = m.requestId;
    if (m.errorStatus !== undefined && m.pduType === PDU_RESPONSE) ev.error_status = m.errorStatus;
    if (m.user !== undefined) ev.user = m.user;
    if (m.engineId !== undefined) ev.engine_id = m.engineId;
    // v3: whether the message was authenticated (msgFlags authFlag, RFC 3412 §6.4).
    if (m.authenticated !== undefined) ev.authenticated = m.authenticated;
    if (m.enterprise !== undefined) ev.enterprise = m.enterprise;
    ev.oids = m.varbinds.slice(0, MAX_EVENT_OIDS).map((b) => b.oid);
    ev.packet = pkt.packetNo;
    ctx.emit(ev as { type: string });
    if (m.pduType === PDU_RESPONSE) this.system(ctx, isOrig, m.varbinds);
  }

  private community(ctx: AnalyzerContext, isOrig: boolean, community: string, pdu: number, version: string | undefined): void {
    const d = secretDigest(community);
    const c = ctx.conn;
    const pkt = ctx.packet;
    const isDefault = DEFAULT_COMMUNITIES.has(community);
    // A PDU that could not be read counts by where it went: to the trap port as a trap, else as a request.
    if (pdu === PDU_UNREADABLE) pdu = (isOrig ? c.rPort : c.oPort) === SNMP_TRAP_PORT ? PDU_TRAP_V2 : PDU_GET;
    if (pdu === PDU_GET || pdu === PDU_GETNEXT || pdu === PDU_GETBULK || pdu === PDU_SET) {
      if (this.tried.has(d) || this.tried.size >= MAX_COMMUNITIES) return;
      this.tried.add(d);
      if (!this.accepted.has(d)) this.pending.set(d, { packet: pkt.packetNo, toResp: isOrig, isDefault, version });
      ctx.emit(communityEvent(ctx, 'snmp.community', isOrig, d, isDefault, version, pkt.packetNo));
      return;
    }
    if (this.accepted.has(d) || this.accepted.size >= MAX_COMMUNITIES) return;
    // The side that accepts the community: the agent that answered a request (the response's
    // sender), the receiver of a trap or an inform.
    let toResp: boolean;
    let packet = pkt.packetNo;
    let success: boolean | undefined;
    if (pdu === PDU_RESPONSE || pdu === PDU_REPORT) {
      const p = this.pending.get(d);
      // The answer must come from the side the request went to; a response with no request seen
      // (the capture began after it) still shows its sender accepted the community.
      if (p !== undefined && p.toResp === isOrig) return;
      toResp = !isOrig;
      if (p !== undefined) packet = p.packet;
      this.pending.delete(d);
      success = true;
    } else if (pdu === PDU_TRAP_V1 || pdu === PDU_TRAP_V2 || pdu === PDU_INFORM) toResp = isOrig;
    else return;
    this.accepted.add(d);
    this.credential(ctx, toResp, d, isDefault, version, packet, success);
  }

  private credential(ctx: AnalyzerContext, toResp: boolean, d: string, isDefault: boolean, version: string | undefined, packet: number, success: boolean | undefined, answered = true): void {
    const ev = communityEvent(ctx, 'snmp.credential', toResp, d, isDefault, version, packet);
    if (success !== undefined) ev.success = success;
    if (!answered) ev.answered = false;
    ctx.emit(ev);
  }

  end(ctx: AnalyzerContext): void {
    if (!this.started) return;
    // Requests no agent answered: the community still crossed the wire, but nobody accepted it.
    for (const [d, p] of this.pending) this.credential(ctx, p.toResp, d, p.isDefault, p.version, p.packet, undefined, false);
    this.pending.clear();
    const ev: Record<string, unknown> = {
      type: 'snmp.session',
      tsSec: this.tsSec,
      tsNsec: this.tsNsec,
      duration: this.lastTs - this.firstTs,
      version: this.version,
      get_requests: this.getRequests,
      get_bulk_requests: this.getBulkRequests,
      get_responses: this.getResponses,
      set_requests: this.setRequests,
      has_community: this.communitySeen,
    };
    if (this.user !== undefined) ev.user = this.user;
    if (this.displayString !== undefined) ev.display_string = this.displayString;
    if (this.upSince !== undefined) ev.up_since = this.upSince;
    ctx.emit(ev as { type: string });
  }

  /** The system group (RFC 1213 §6.4) in a response describes the agent that sent it. */
  private system(ctx: AnalyzerContext, isOrig: boolean, vbs: { oid: string; value?: string | number }[]): void {
    const info: Record<string, unknown> = {};
    for (const b of vbs) {
      if (b.value === undefined) continue;
      if (b.oid === OID_SYS_DESCR && typeof b.value === 'string') {
        info.sys_descr = b.value;
        this.displayString = b.value;
      } else if (b.oid === OID_SYS_OBJECT_ID && typeof b.value === 'string') info.sys_object_id = b.value;
      else if (b.oid === OID_SYS_NAME && typeof b.value === 'string') info.sys_name = b.value;
      else if (b.oid === OID_SYS_LOCATION && typeof b.value === 'string') info.sys_location = b.value;
      else if (b.oid === OID_SYS_CONTACT && typeof b.value === 'string') info.sys_contact = b.value;
      else if (b.oid === OID_SYS_UPTIME && typeof b.value === 'number') {
        this.upSince = ctx.packet.ts - b.value / TICKS_PER_SECOND;
        info.sys_uptime = b.value;
      }
    }
    if (Object.keys(info).length === 0) return;
    const c = ctx.conn;
    ctx.emit({
      type: 'snmp.system',
      host: isOrig ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3),
      ...info,
      packet: ctx.packet.packetNo,
    });
  }
}
