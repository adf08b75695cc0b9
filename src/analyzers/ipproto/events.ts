// The event of the IP protocol census.

/** The first datagram of an IP protocol (other than TCP, UDP, ICMP and ICMPv6) from one host to another. */
export interface IpProtocolEvent {
  type: 'ip.protocol';
  src: string;
  dst: string;
  /** The IP protocol number (IPv4 protocol, IPv6 final next header). */
  proto: number;
  mac_src: string;
  packet: number;
  [k: string]: unknown;
}
