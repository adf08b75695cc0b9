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
import { TOR, TOR_MEANING, TUNNEL_PRODUCTS, remoteAccessSign } from '../knowledge/remote-access.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { isMedIot } from './lateral.js';

export class RemoteAccessDetector {
  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || !this.ctx.cfg.postureAlerts) return;
    const sign = remoteAccessSign(ev, c.rPort);
    if (sign === null || !sign.orig) return;
    // An IKE initiation no internal host answered is a probe (nmap's UDP scan sends one to
    // every address), not a tunnel (as the assessment judges it).
    if (ev.type === 'ike.session' && ev.answered !== true && this.ctx.internal.has(c.r0, c.r1, c.r2, c.r3)) return;
    const { product, what, source } = sign;
    const ip = origAddr(c);
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const category = this.ctx.category(ip, mac);
    // Routers and firewalls terminate site-to-site tunnels by design (as the analyze rule says).
    if (category === 'network' && TUNNEL_PRODUCTS.has(product)) return;
    const sensitive = isMedIot(category);
    const e = eventEvidence('remote-access', `${product}: ${what}`, source, ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'remote-access',
      key: `${ip}|${product}`,
      device: this.ctx.deviceId(ip, mac),
      peer: respAddr(c),
      ts: e.ts,
      severity: product === TOR ? (sensitive ? 'critical' : 'high') : sensitive ? 'high' : undefined,
      why: product === TOR ? `${ip} uses Tor: its client ${what}; ${TOR_MEANING}${sensitive ? ` (a ${category!.replace(/_/g, ' ')} has no reason to)` : ''}` : `${ip} runs ${product}: its client ${what}. ${TUNNEL_PRODUCTS.has(product) ? "The network at the tunnel's far end reaches the host through it, past the hospital's firewall and its own remote-access controls" : "A remote party can operate the host through the vendor's service, outside the hospital's own remote-access controls"}${sensitive ? ` (a ${category!.replace(/_/g, ' ')}: a vendor support channel that must go through a managed, logged gateway)` : ''}`,
      evidence: [e],
    });
  }
}
