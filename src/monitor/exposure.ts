// Internet hosts reaching internal devices, as it happens: a connection from a globally routable
// address outside internalNets that an internal device answered (a TCP handshake, or a reply of
// SNMP, BACnet, CoAP … over UDP). Raised for every service of a medical or IoT device (critical
// for remote administration, clinical, industrial and clear-text management services), and for
// those services on any other device (high) — the assessment's internet-exposure finding, live.
// One alert per device and service and episode; the device is the one reached, the peer the
// Internet host. In analyze the assessment reports it, so this detector is off (postureAlerts).
import { formatMac } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import { exposureKind, INBOUND_UDP, KIND_TEXT } from '../assess/exposure.js';
import { globallyRoutable } from './net.js';
import { isMedIot } from './lateral.js';
import { connEvidence, type ConnView, type DetectorContext } from './view.js';

export class InternetExposureDetector {
  constructor(private readonly ctx: DetectorContext) {}

  onConn(v: ConnView, c: Conn): void {
    if (!this.ctx.cfg.postureAlerts || !v.answered || !v.respInternal) return;
    if (!v.tcp && (v.proto !== 'udp' || !INBOUND_UDP.has(v.service))) return;
    if (v.origInternal || !globallyRoutable(c.o0, c.o1, c.o2, c.o3)) return;
    const mac = c.respMac === 0 ? null : formatMac(c.respMac);
    const cat = this.ctx.category(v.resp, mac);
    const sensitive = isMedIot(cat);
    const kind = exposureKind(v.service, v.rPort);
    if (!sensitive && kind === 'other') return;
    const svc = `${v.proto}/${v.rPort}`;
    const e = connEvidence(v, 'inbound-connection');
    const n = (this.ctx.book.get('internet-exposure', `${v.resp}|${svc}`)?.count ?? 0) + 1;
    this.ctx.book.observe({
      rule: 'internet-exposure',
      key: `${v.resp}|${svc}`,
      device: this.ctx.deviceId(v.resp, mac),
      peer: v.orig,
      ts: e.ts,
      severity: sensitive && kind !== 'other' ? 'critical' : undefined,
      why: `${cat !== null ? `${cat.replace(/_/g, ' ')} device ` : ''}${v.resp} answered ${n === 1 ? `Internet host ${v.orig}` : `${n} connections from Internet hosts (latest ${v.orig})`} on ${svc}${v.service !== '' ? ` (${v.service})` : ''}${kind !== 'other' ? `, ${KIND_TEXT[kind]}` : ''}: the perimeter lets the Internet reach it`,
      evidence: [e],
    });
  }
}
