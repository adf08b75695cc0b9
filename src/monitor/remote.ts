// Remote-access tools as they appear: a host whose client reaches a remote-access or
// remote-support service (TLS server name, HTTP Host), presents such a tool's certificate, or
// speaks TeamViewer's protocol on 5938 (src/knowledge/remote-access.ts says which names). One
// alert per host and tool; high when the host is a medical or IoT device (a vendor support
// channel outside the hospital's controlled access). The assessment reports the same thing as
// the remote-access finding, so in analyze this detector is off (postureAlerts).
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { remoteAccessCertificate, remoteAccessHost } from '../knowledge/remote-access.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';

const SENSITIVE = new Set(['infusion_pump', 'patient_monitor', 'imaging', 'pacs', 'lab_analyzer', 'medical_other', 'camera', 'building_automation', 'industrial', 'iot_other']);

export class RemoteAccessDetector {
  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || !this.ctx.cfg.postureAlerts) return;
    const t = ev.type;
    let product: string | null = null;
    let what = '';
    let source = '';
    if (t === 'ssl.client_hello' && typeof ev.server_name === 'string') {
      product = remoteAccessHost(ev.server_name);
      what = `reached ${ev.server_name}`;
      source = 'ssl.server_name';
    } else if (t === 'http.transaction' && typeof ev.host === 'string') {
      product = remoteAccessHost(ev.host.replace(/:\d+$/, ''));
      what = `reached ${ev.host}`;
      source = 'http.host';
    } else if (t === 'ssl.certificate' && ev.client_cert === true) {
      const subject = String(((ev.cert ?? {}) as Record<string, unknown>).subject ?? '');
      product = remoteAccessCertificate(subject);
      what = `presented the certificate ${subject}`;
      source = 'x509.client_subject';
    } else if (t === 'teamviewer.session') {
      product = 'TeamViewer';
      what = `spoke TeamViewer's protocol to port ${c.rPort}`;
      source = 'teamviewer.magic';
    }
    if (product === null) return;
    const ip = origAddr(c);
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const category = this.ctx.category(ip, mac);
    const sensitive = category !== null && SENSITIVE.has(category);
    const e = eventEvidence('remote-access', `${product}: ${what}`, source, ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'remote-access',
      key: `${ip}|${product}`,
      device: this.ctx.deviceId(ip, mac),
      peer: respAddr(c),
      ts: e.ts,
      severity: sensitive ? 'high' : undefined,
      why: `${ip} runs ${product}: its client ${what}. A remote party can operate the host through the vendor's service, outside the hospital's own remote-access controls${sensitive ? ` (a ${category!.replace(/_/g, ' ')}: a vendor support channel that must go through a managed, logged gateway)` : ''}`,
      evidence: [e],
    });
  }
}
