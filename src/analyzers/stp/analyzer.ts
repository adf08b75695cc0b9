// The Spanning Tree frame analyzer: 802.1D/802.1w/802.1s BPDUs arrive as 802.3 LLC frames (DSAP
// and SSAP 0x42, UI), Cisco's PVST+ ones as SNAP frames of OUI 00:00:0c with protocol id 0x010b.
// One event per BPDU.
import { formatMac } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import { BPDU_CONFIG, BPDU_TCN, parseBpdu, type BridgeId } from './parse.js';
import type { StpEvent } from './events.js';

export const SNAP_PID_PVST = 0x010b;
const LLC_STP_SAP = 0x42;
const LLC_UI = 0x03;

const idText = (b: BridgeId): string => `${b.priority}/${b.ext}/${b.mac}`;

export function stpFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number, pvst: boolean): void {
  const m = ctx.packet;
  let at = off;
  let n = len;
  if (!pvst) {
    // Other LLC protocols (NetBIOS, IPX …) share the pseudo-ethertype: only STP's SAP is ours.
    if (len < 3 || buf[off] !== LLC_STP_SAP || buf[off + 1] !== LLC_STP_SAP) return;
    if (buf[off + 2] !== LLC_UI) {
      ctx.weird('stp.bad_llc_control');
      return;
    }
    at += 3;
    n -= 3;
  }
  const r = parseBpdu(buf, at, n, pvst);
  if (r === 'bad') {
    ctx.weird('stp.bad_bpdu');
    return;
  }
  const proto = r.version >= 3 ? 'mstp' : r.version === 2 ? 'rstp' : 'stp';
  const ev: StpEvent = {
    type: 'stp.bpdu',
    mac_src: formatMac(m.srcMac),
    protocol: pvst ? `pvst+/${proto}` : proto,
    bpdu_type: r.bpduType === BPDU_TCN ? 'tcn' : r.bpduType === BPDU_CONFIG ? 'config' : proto === 'mstp' ? 'mst' : 'rst',
    packet: m.packetNo,
  };
  if (r.pvstVlan !== undefined) ev.vlan = r.pvstVlan;
  else if (m.vlan >= 0) ev.vlan = m.vlan;
  if (r.root !== undefined && r.bridge !== undefined) {
    ev.tc = r.tc;
    ev.tca = r.tca;
    if (r.portRole !== undefined) {
      ev.proposal = r.proposal;
      ev.agreement = r.agreement;
      ev.learning = r.learning;
      ev.forwarding = r.forwarding;
      ev.port_role = r.portRole;
    }
    ev.root_id = idText(r.root);
    ev.root_priority = r.root.priority;
    ev.root_mac = r.root.mac;
    ev.root_cost = r.rootCost;
    ev.bridge_id = idText(r.bridge);
    ev.bridge_priority = r.bridge.priority;
    ev.bridge_mac = r.bridge.mac;
    ev.port_id = `0x${(r.portId ?? 0).toString(16).padStart(4, '0')}`;
    ev.message_age = r.messageAge;
    ev.max_age = r.maxAge;
    ev.hello_time = r.helloTime;
    ev.forward_delay = r.forwardDelay;
    if (r.mstName !== undefined) {
      ev.mst_name = r.mstName;
      ev.mst_revision = r.mstRevision;
      ev.mstis = r.mstis;
    }
  }
  ctx.emit(ev);
}
