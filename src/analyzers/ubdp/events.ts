// Typed events of the UBDP analyzer.

/** One UBDP flow: what its announcing side said of itself, and the queries seen (ubdp.log). */
export interface UbdpSession {
  type: 'ubdp.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Header of the first announcement (or of the first query when none came). */
  version?: number;
  command?: number;
  /** The announcing side is the flow's originator (a broadcast) or its responder (an answer). */
  is_orig?: boolean;
  hostname?: string;
  product?: string;
  model?: string;
  firmware?: string;
  firmware_version?: string;
  platform_version?: string;
  essid?: string;
  wireless_mode?: number;
  uptime?: number;
  is_default?: boolean;
  locating?: boolean;
  dhcp_client?: boolean;
  dhcp_bound?: boolean;
  system_id?: number;
  counter?: number;
  mgmt_port?: number;
  macs: string[];
  addresses: string[];
  /** Messages with TLVs, and without (queries). */
  announcements: number;
  queries: number;
  unknown_tlvs: number;
  [k: string]: unknown;
}
