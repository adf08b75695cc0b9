// The EAPOL frame analyzer (802.1X port authentication, ethertype 0x888e): one event per frame.
// A supplicant (the device wanting the port) sends Start, Logoff and EAP responses to the PAE
// group address; the authenticator (the switch port, or access point) sends EAP requests and
// the verdict. The response to the identity request names the device or its user in clear
// ("host/<machine>" for a Windows machine account), whatever method follows.
import { formatMac } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import { parseEapol } from './parse.js';
import type { EapolMessage } from './events.js';

export function eapolFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const m = ctx.packet;
  const r = parseEapol(buf, off, len);
  if (r === 'bad') {
    ctx.weird('eapol.bad_header');
    return;
  }
  for (const p of r.problems) ctx.weird(`eapol.${p}`);
  const { problems: _p, ...info } = r;
  const ev: EapolMessage = { type: 'eapol.message', mac_src: formatMac(m.srcMac), mac_dst: formatMac(m.dstMac), ...info, packet: m.packetNo };
  if (m.vlan >= 0) ev.vlan = m.vlan;
  ctx.emit(ev);
}
