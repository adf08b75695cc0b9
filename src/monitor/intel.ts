// Threat-intelligence matches as alerts (monitor --intel): the engine's intel matcher turns a
// value a feed lists into an intel.seen event (src/intel/match.ts); this raises the alert on the
// internal host involved — the one that talked to a listed address, or for a name, URL, hash or
// file the connection's client — one per host and listing and episode; critical on a medical or
// IoT device. Off in analyze (postureAlerts false), whose assessment reports the threat-intel finding.
import type { Conn } from '../flow/conn.js';
import { formatAddr, formatMac, type PacketMeta } from '../decode/packet.js';
import type { AppEvent } from '../analyzers/types.js';
import type { IntelSeen } from '../intel/match.js';
import { isMedIot } from './lateral.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';

export class IntelAlerts {
  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type !== 'intel.seen' || c === null || !this.ctx.cfg.postureAlerts) return;
    const s = ev as IntelSeen;
    const orig = formatAddr(c.o0, c.o1, c.o2, c.o3);
    const resp = formatAddr(c.r0, c.r1, c.r2, c.r3);
    const onResp = s.where === 'Conn::IN_ORIG';
    const who = onResp ? resp : orig;
    const macNo = onResp ? c.respMac : c.origMac;
    const mac = macNo === 0 ? null : formatMac(macNo);
    const sources = s.sources.join(', ');
    const e = eventEvidence('threat-intel', `${s.indicator} matched ${s.matched_type} ${s.matched} from ${sources} (${s.where})`, 'intel.seen', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'threat-intel',
      key: `${who}|${s.matched}`,
      device: this.ctx.deviceId(who, mac),
      peer: onResp ? orig : resp,
      ts: e.ts,
      severity: isMedIot(this.ctx.category(who, mac)) ? 'critical' : undefined,
      why: `${who}'s traffic matched ${s.matched_type} ${s.matched} listed by ${sources}: ${s.indicator} in ${s.where}`,
      evidence: [e],
    });
  }
}
