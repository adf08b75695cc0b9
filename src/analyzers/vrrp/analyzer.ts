// The VRRP analyzer: one event per advertisement (IP protocol 112), checked the way a router
// checks it, and a version 2 simple text password as a credential (the master sends it in clear
// to the whole link every second).
import { formatAddr, formatMac } from '../../decode/packet.js';
import { credentialEvent } from '../textproto.js';
import type { FrameContext } from '../types.js';
import type { VrrpEvent } from './events.js';
import { AUTH_TYPES, parseVrrp } from './parse.js';

/** RFC 5798 §7.1 / RFC 3768 §7.1: an advertisement must arrive with the TTL (hop limit) it left with. */
const VRRP_TTL = 255;

export function vrrpPacket(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const m = ctx.packet;
  const r = parseVrrp(buf, off, len, m.ipVersion === 6);
  if (r === 'bad') {
    ctx.weird('vrrp.not_an_advertisement');
    return;
  }
  const s = m.src;
  const router = formatAddr(s[0], s[1], s[2], s[3]);
  const ev: VrrpEvent = { type: 'vrrp.message', router, mac_src: formatMac(m.srcMac), ttl: m.ttl, version: r.version, vrid: r.vrid, priority: r.priority, addresses: r.addresses, interval: r.interval, packet: m.packetNo };
  if (r.authType !== undefined) ev.auth = AUTH_TYPES[r.authType] ?? `type_${r.authType}`;
  if (m.tunnelDepth !== m.etherDepth) ev.tunneled = true;
  const bad = r.invalid ?? (m.ttl !== VRRP_TTL ? `ttl_${m.ttl}` : undefined);
  if (bad !== undefined) {
    ev.bad = bad;
    ctx.weird(`vrrp.${bad.startsWith('ttl_') ? 'ttl_not_255' : bad}`);
  }
  ctx.emit(ev);
  if (r.authText !== undefined && r.authText.length > 0) {
    ctx.emit({ ...credentialEvent('vrrp', '', r.authText), server: router, server_p: 0, client: router, answered: true, packet: m.packetNo });
  }
}
