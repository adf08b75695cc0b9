// Per-flow IntelliVue Data Export state. A monitor's Connect Indication broadcasts (port 24005)
// and its MDS Create event report (the first message after an association on 24105) say what
// it is: manufacturer, model number, serial and part numbers, software revision, system type
// (monitor, pump, ventilator …), MAC and IP. Association control messages say who reads it;
// poll results say what was read: numerics, waves, alerts, and patient demographics, whose
// presence (never their values) is reported. Everything travels unencrypted.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { origHost, respHost } from '../connid.js';
import type { IntellivueSessionEvent } from './events.js';
import {
  ACT_POLL_MDIB_DATA,
  ACT_POLL_MDIB_DATA_EXT,
  CMD_CONFIRMED_ACTION,
  CMD_CONFIRMED_EVENT_REPORT,
  NOTI_MDS_CREATE,
  OBJECT_CLASSES,
  RO_INVOKE,
  RO_LINKED_RESULT,
  RO_RESULT,
  attributeList,
  identity,
  parseConnectIndication,
  parseDataExport,
  parsePollResult,
  parseSessionHeader,
  type Identity,
} from './parse.js';

const MAX_OBJECTS = 16;
/** Poll results parsed per flow (a monitor answers polls every second for hours). */
const MAX_POLLS_PARSED = 2048;

export class IntellivueAnalyzer implements FlowAnalyzer {
  private rec: IntellivueSessionEvent | null = null;
  private identified = false;
  private phiReported = false;
  private confirmed = false;
  private bad = false;
  private polls = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const ci = parseConnectIndication(buf, off, len);
    if (ci !== null) {
      const r = this.session(ctx);
      r.connect_indications++;
      if (r.connect_indications === 1) this.identity(ctx, isOrig, identity(buf, ci.attrs), 'connect_indication');
      return;
    }
    const sh = parseSessionHeader(buf, off, len);
    if (sh !== null) {
      const r = this.session(ctx);
      if (sh.name === 'accept' && r.association !== 'accepted') {
        r.association = 'accepted';
        const c = ctx.conn;
        const server = isOrig ? origHost(c) : respHost(c);
        const client = isOrig ? respHost(c) : origHost(c);
        ctx.emit({ type: 'intellivue.association', server, server_p: isOrig ? c.oPort : c.rPort, client, packet: ctx.packet.packetNo });
      } else if (sh.name === 'refuse') r.association = 'refused';
      else if (sh.name === 'request') r.association ??= 'requested';
      return;
    }
    const d = parseDataExport(buf, off, len);
    if (d === null) {
      if (!this.bad && this.rec !== null) ctx.weird('intellivue.bad_message');
      this.bad = true;
      return;
    }
    const r = this.session(ctx);
    r.data_messages++;
    if (d.roType === RO_INVOKE && d.command === CMD_CONFIRMED_EVENT_REPORT && d.op === NOTI_MDS_CREATE) {
      // MDSCreateInfo: managed object (6 bytes), then the MDS's attributes.
      const list = attributeList(buf, d.body + 6, d.end);
      if (list !== null) this.identity(ctx, isOrig, identity(buf, list.attrs), 'mds_create');
      return;
    }
    if ((d.roType === RO_RESULT || d.roType === RO_LINKED_RESULT) && d.command === CMD_CONFIRMED_ACTION && (d.op === ACT_POLL_MDIB_DATA || d.op === ACT_POLL_MDIB_DATA_EXT)) {
      r.poll_results++;
      if (++this.polls > MAX_POLLS_PARSED) return;
      const p = parsePollResult(buf, d.body, d.end, d.op === ACT_POLL_MDIB_DATA_EXT);
      if (p === null) {
        ctx.weird('intellivue.bad_poll_result');
        return;
      }
      const name = OBJECT_CLASSES[p.objectClass] ?? String(p.objectClass);
      if (!r.polled_objects.includes(name) && r.polled_objects.length < MAX_OBJECTS) r.polled_objects.push(name);
      if (p.patientFields.length > 0) {
        for (const f of p.patientFields) if (!r.patient_fields.includes(f)) r.patient_fields.push(f);
        r.patient_fields.sort();
        if (!this.phiReported) {
          this.phiReported = true;
          ctx.emit({ type: 'intellivue.phi', sender: this.sender(ctx, isOrig), patient_fields: p.patientFields, packet: ctx.packet.packetNo });
        }
      }
    }
  }

  private sender(ctx: AnalyzerContext, isOrig: boolean): string {
    const c = ctx.conn;
    return isOrig ? origHost(c) : respHost(c);
  }

  private session(ctx: AnalyzerContext): IntellivueSessionEvent {
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('intellivue');
    }
    if (this.rec === null) {
      const p = ctx.packet;
      this.rec = { type: 'intellivue.session', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, connect_indications: 0, data_messages: 0, poll_results: 0, polled_objects: [], patient_fields: [] };
    }
    return this.rec;
  }

  private identity(ctx: AnalyzerContext, isOrig: boolean, id: Identity, source: 'connect_indication' | 'mds_create'): void {
    if (this.identified && source === 'connect_indication') return;
    this.identified = true;
    Object.assign(this.rec!, id);
    ctx.emit({ type: 'intellivue.identity', sender: this.sender(ctx, isOrig), source, packet: ctx.packet.packetNo, ...id });
  }

  end(ctx: AnalyzerContext): void {
    if (this.rec === null) return;
    ctx.emit(this.rec);
    this.rec = null;
  }
}
