// Typed events of the Spanning Tree analyzer.

/** One BPDU (stp.log): who sent it, and the tree it describes. */
export interface StpEvent {
  type: 'stp.bpdu';
  mac_src: string;
  /** The frame's 802.1Q VLAN, or PVST+'s originating VLAN. */
  vlan?: number;
  /** "stp", "rstp", "mstp", or "pvst+" for Cisco's per-VLAN BPDUs (with its version after a slash). */
  protocol: string;
  bpdu_type: string;
  tc?: boolean;
  tca?: boolean;
  proposal?: boolean;
  agreement?: boolean;
  learning?: boolean;
  forwarding?: boolean;
  port_role?: string;
  /** Bridge identifiers as priority/extension/MAC: "32768/1/00:1b:54:aa:bb:01". */
  root_id?: string;
  root_priority?: number;
  root_mac?: string;
  root_cost?: number;
  bridge_id?: string;
  bridge_priority?: number;
  bridge_mac?: string;
  port_id?: string;
  message_age?: number;
  max_age?: number;
  hello_time?: number;
  forward_delay?: number;
  mst_name?: string;
  mst_revision?: number;
  mstis?: number;
  packet: number;
  [k: string]: unknown;
}
