// Typed events of NAT-PMP and PCP.

/**
 * One request and its answer (paired by opcode, and for PCP MAP/PEER by nonce), or a message
 * alone: an unanswered request, or an answer nobody was seen asking for (a gateway's
 * announcement of its address to 224.0.0.1:5350).
 */
export interface PortMapEvent {
  type: 'natpmp.transaction';
  tsSec: number;
  tsNsec: number;
  /** The request's packet, else the answer's. */
  packet: number;
  protocol: 'nat-pmp' | 'pcp';
  /** external_address, map_udp, map_tcp (NAT-PMP); announce, map, peer (PCP). */
  opcode: string;
  /** The host that asked (the mapping is for it unless a third party is named); '' for an announcement. */
  client: string;
  /** The gateway. */
  server: string;
  answered: boolean;
  result?: string;
  epoch?: number;
  requested_lifetime?: number;
  lifetime?: number;
  /** "TCP", "UDP", or the IP protocol number as text. */
  transport?: string;
  internal_port?: number;
  requested_external_port?: number;
  external_port?: number;
  external_ip?: string;
  /** The internal address the mapping is for: PCP's client address or THIRD_PARTY option. */
  internal_ip?: string;
  third_party?: boolean;
  remote_ip?: string;
  remote_port?: number;
  options?: string[];
  [k: string]: unknown;
}
