// Typed events of the ICMP router-control analyzer.

/** One ICMP redirect or router discovery message (icmp.log), with the addresses it travelled between. */
export interface IcmpEvent {
  type: 'icmp.message';
  msg_type: string;
  src: string;
  dst: string;
  mac_src: string;
  mac_dst: string;
  ttl: number;
  code: number;
  /** Redirect: for the network or the host, with or without the type of service (RFC 792 codes 0–3). */
  redirect_for?: string;
  /** Redirect: the better gateway the host is told to use for `orig_dst`. */
  gateway?: string;
  /** Redirect: the quoted datagram that prompted it: its source, destination, protocol and ports. */
  orig_src?: string;
  orig_dst?: string;
  orig_proto?: number;
  orig_sport?: number;
  orig_dport?: number;
  /** Router Advertisement (RFC 1256): how long its addresses stay valid, the addresses and their preference levels. */
  lifetime?: number;
  routers?: string[];
  preferences?: number[];
  /** Carried inside a tunnel: the tunnel's link, not the captured segment's. */
  tunneled?: boolean;
  /**
   * Why a receiver would discard it: a code the message type does not define, a router
   * advertisement without addresses or with a short entry size or cut short (RFC 1256 §5.2), a
   * redirect without the datagram it is about, naming an unusable gateway (unspecified,
   * broadcast, multicast, loopback) or quoting a datagram its recipient did not send.
   */
  bad?: string;
  packet: number;
  [k: string]: unknown;
}
