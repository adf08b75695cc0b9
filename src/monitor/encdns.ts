// Encrypted DNS around the site's resolvers, as it starts: an internal host opens DNS over TLS,
// HTTPS or QUIC, or DNSCrypt, to a resolver on the Internet (src/knowledge/encrypted-dns.ts).
// One alert per host, dated by the first sign; medium, high when the inventory calls the host a
// medical or IoT device. The assessment reports the same as the encrypted-dns finding, so in
// analyze this detector is off (postureAlerts), as the p2p and remote-access ones are.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import { formatAddr, formatMac } from '../decode/packet.js';
import { encryptedDnsSign } from '../knowledge/encrypted-dns.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { isMedIot } from './lateral.js';
import { globallyRoutable } from './net.js';

/** The event types that can show encrypted DNS (the rest are passed over at once). */
const TYPES = new Set(['ssl.client_hello', 'quic.session', 'dns.transaction', 'dnscrypt.session']);

export class EncryptedDnsDetector {
  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || !this.ctx.cfg.postureAlerts || !TYPES.has(ev.type)) return;
    if (!this.ctx.internal.has(c.o0, c.o1, c.o2, c.o3) || this.ctx.internal.has(c.r0, c.r1, c.r2, c.r3) || !globallyRoutable(c.r0, c.r1, c.r2, c.r3)) return;
    const resolver = formatAddr(c.r0, c.r1, c.r2, c.r3);
    const sign = encryptedDnsSign(ev, resolver, c.rPort);
    if (sign === null) return;
    const ip = formatAddr(c.o0, c.o1, c.o2, c.o3);
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const category = this.ctx.category(ip, mac);
    const sensitive = isMedIot(category);
    const e = eventEvidence('encrypted-dns', `${sign.protocol}: ${sign.what}`, sign.source, ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'encrypted-dns',
      key: `${ip}|encrypted-dns`,
      device: this.ctx.deviceId(ip, mac),
      peer: resolver,
      ts: e.ts,
      severity: sensitive ? 'high' : undefined,
      why: `${ip} resolves names through the outside resolver ${resolver} over ${sign.protocol}: it ${sign.what}. Its lookups bypass the site's DNS servers, unlogged and unfiltered${sensitive ? ` (a ${category!.replace(/_/g, ' ')} has no sanctioned reason to do so)` : ''}`,
      evidence: [e],
    });
  }
}
