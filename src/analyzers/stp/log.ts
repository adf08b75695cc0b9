// stp.log: one line per Spanning Tree BPDU (Zeek parses none; the fields are 802.1D's names, as
// Wireshark's stp fields are): the sending port's MAC and VLAN, protocol and BPDU type, the
// flags, the root and sending bridge identifiers with the root path cost and port, and the
// timers. What a network team checks when the tree moves: who is root, who changed it, and
// which bridge keeps signalling topology changes.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { StpEvent } from './events.js';

const stpLog: LogMapper = (e, _c, m) => {
  const ev = e as StpEvent;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), mac_src: ev.mac_src };
  putSet(rec, {
    vlan: ev.vlan,
    protocol: ev.protocol,
    bpdu_type: ev.bpdu_type,
    tc: ev.tc,
    tca: ev.tca,
    proposal: ev.proposal,
    agreement: ev.agreement,
    learning: ev.learning,
    forwarding: ev.forwarding,
    port_role: ev.port_role,
    root_id: ev.root_id,
    root_cost: ev.root_cost,
    bridge_id: ev.bridge_id,
    port_id: ev.port_id,
    message_age: ev.message_age,
    max_age: ev.max_age,
    hello_time: ev.hello_time,
    forward_delay: ev.forward_delay,
    mst_name: ev.mst_name,
    mst_revision: ev.mst_revision,
    mstis: ev.mstis,
  });
  rec.packet = ev.packet;
  return { log: 'stp', record: rec };
};

export const STP_LOGS: Record<string, LogMapper> = { 'stp.bpdu': stpLog };
