// Per-flow HSRP state: each datagram is one router's hello, coup, resign or advertisement for one
// or more groups; one event per group, and its text authentication as a credential (the router
// sends it in clear to everyone on the link) for the clear-text and default-credential checks.
import { formatAddr, formatMac } from '../../decode/packet.js';
import { credentialEvent } from '../textproto.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { HsrpEvent } from './events.js';
import { HSRP_V2_PORT, OPCODES, STATES, parseHsrp } from './parse.js';

/** Cisco IOS's authentication string when none is configured. */
export const HSRP_DEFAULT_AUTH = 'cisco';

export class HsrpAnalyzer implements FlowAnalyzer {
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const c = ctx.conn;
    const v2 = c.rPort === HSRP_V2_PORT || c.oPort === HSRP_V2_PORT;
    const groups = parseHsrp(buf, off, len, v2);
    if (groups === 'bad') {
      ctx.weird('hsrp.bad_message');
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('hsrp');
    }
    const m = ctx.packet;
    const router = isOrig ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3);
    for (const g of groups) {
      const isDefault = g.authText !== undefined && Buffer.from(g.authText).toString('latin1') === HSRP_DEFAULT_AUTH;
      const ev: HsrpEvent = {
        type: 'hsrp.message',
        router,
        mac_src: formatMac(m.srcMac),
        version: g.version,
        opcode: OPCODES[g.opcode],
        state: STATES[g.state],
        group: g.group,
        priority: g.priority,
        hello_time: g.hello,
        hold_time: g.hold,
        virtual_ip: g.virtualIp,
        auth: g.md5 === true ? 'md5' : g.authText !== undefined ? 'text' : 'none',
        packet: m.packetNo,
      };
      if (g.identifier !== undefined) ev.identifier = g.identifier;
      if (isDefault) ev.auth_is_default = true;
      ctx.emit(ev);
      // The authentication text crossed the link in clear: a credential of the router's.
      if (g.authText !== undefined && g.md5 !== true && g.authText.length > 0) {
        ctx.emit({ ...credentialEvent('hsrp', '', g.authText), server: router, server_p: c.rPort, client: router, default_product: isDefault ? "Cisco's default HSRP authentication" : undefined, answered: true, packet: m.packetNo });
      }
    }
  }
}
