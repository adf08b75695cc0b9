// Ghostcat (CVE-2020-1938, CISA KEV): an AJP13 request that sets the javax.servlet.include.*
// request attributes. Tomcat before 9.0.31/8.5.51/7.0.100 took any attribute from the AJP
// connector, and these make its default servlet serve the file they name — any file of the web
// application, WEB-INF/web.xml and its passwords included — or, where uploads are allowed, run an
// uploaded file as a JSP. Web servers forward attributes they set themselves (route, SSL data,
// AJP_REMOTE_PORT, JK_LB_ACTIVATION) and never these: such a request is an exploit or a scanner
// from whatever host it comes. High; one alert per (source, container) episode, the source the
// device, the container its peer, the exchange (packet, time, the file asked for) the evidence.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';

export class GhostcatDetector {
  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || ev.type !== 'ajp.exchange' || ev.ghostcat !== true) return;
    const src = origAddr(c);
    const dst = respAddr(c);
    const path = typeof ev.include_path === 'string' ? ev.include_path : '';
    const answered = typeof ev.status_code === 'number' ? `; the container answered ${ev.status_code}${ev.status_code === 200 ? ' (the file was served)' : ''}` : '; no answer seen';
    const what = `an AJP request (${String(ev.method ?? '?')} ${String(ev.uri ?? '')}) with javax.servlet.include.* attributes${path !== '' ? ` asking for ${path}` : ''}`;
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const e = eventEvidence('ghostcat', `${what}${answered}`, 'ajp.exchange', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'ghostcat',
      key: `${src}|${dst}`,
      device: this.ctx.deviceId(src, mac),
      peer: dst,
      ts: e.ts,
      severity: 'high',
      why: `${src} sent the servlet container ${dst} (port ${c.rPort}) ${what}${answered}: Ghostcat (CVE-2020-1938), the file read web servers never ask for`,
      evidence: [e],
    });
  }
}
