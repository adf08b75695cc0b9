// Per-flow SNMP state (one UDP 5-tuple, as Zeek's SNMP session): counts varbinds per PDU kind,
// takes sysDescr/sysUpTime and the rest of the system group from responses, reports each
// community once as a keyed digest (with whether it is a well-known default), and emits the
// session summary for snmp.log when the flow ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { formatAddr } from '../../decode/packet.js';
import { secretDigest } from '../secret.js';
import { PDU_GET, PDU_GETBULK, PDU_GETNEXT, PDU_NAMES, PDU_RESPONSE, PDU_SET, PDU_UNREADABLE, VERSION_1, VERSION_2C, VERSION_3, parseSnmp } from './parse.js';

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
/** Distinct communities reported per flow. */
const MAX_COMMUNITIES = 8;
/** OIDs listed per PDU event. */
const MAX_EVENT_OIDS = 16;
const VERSION_NAMES: Record<number, string> = { [VERSION_1]: '1', [VERSION_2C]: '2c', [VERSION_3]: '3' };

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
  private readonly digests = new Set<string>();
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
    const c = ctx.conn;
    if (m.community !== undefined) {
      this.communitySeen = true;
      const d = secretDigest(m.community);
      if (!this.digests.has(d) && this.digests.size < MAX_COMMUNITIES) {
        this.digests.add(d);
        // The side that receives a community is the one that accepts it: the agent for
        // requests, the manager for traps and informs.
        const toResp = isOrig;
        ctx.emit({
          type: 'snmp.credential',
          server: toResp ? formatAddr(c.r0, c.r1, c.r2, c.r3) : formatAddr(c.o0, c.o1, c.o2, c.o3),
          server_p: toResp ? c.rPort : c.oPort,
          client: toResp ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3),
          version: VERSION_NAMES[m.version],
          secret: d,
          community_is_default: DEFAULT_COMMUNITIES.has(m.community),
          packet: pkt.packetNo,
        });
      }
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

  end(ctx: AnalyzerContext): void {
    if (!this.started) return;
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
