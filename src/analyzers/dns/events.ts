// Typed events of the DNS analyzer (unicast DNS, mDNS, LLMNR, NetBIOS name service).

/** One query/response pair (or an unanswered query, or an unsolicited reply): a dns.log line. */
export interface DnsTransactionEvent {
  type: 'dns.transaction';
  /** Network time of the first message of the pair. */
  ts_sec: number;
  ts_nsec: number;
  proto: 'udp' | 'tcp';
  trans_id: number;
  /** Microseconds from query to answer, when both were seen and time passed. */
  rtt_us?: number;
  query?: string;
  qclass?: number;
  qtype?: number;
  rcode?: number;
  AA: boolean;
  TC: boolean;
  RD: boolean;
  RA: boolean;
  Z: number;
  answers?: string[];
  TTLs?: number[];
  rejected: boolean;
  /** NetBIOS name service: the decoded name, its suffix and the RFC 1002 opcode. */
  netbios: boolean;
  nbns_name?: string;
  nbns_suffix?: number;
  opcode: number;
  packet: number;
  /** The (first) response's packet, time and Ethernet source (not logged: for the monitor's dns-spoofing). */
  reply_packet?: number;
  reply_ts?: number;
  reply_mac?: string;
  /** A response no query was seen for: a second answer to one query, or a query before the capture. */
  reply_only?: boolean;
  [k: string]: unknown;
}

/** What an mDNS (RFC 6762/6763) message says about the device that sent it. */
export interface MdnsRecordsEvent {
  type: 'mdns.records';
  /** The sender's address (the device described). */
  host: string;
  is_response: boolean;
  /** Owner names of A/AAAA records (`printer-3.local`). */
  hostnames: string[];
  addrs: { name: string; addr: string }[];
  /** DNS-SD service types browsed or announced (`_ipp._tcp.local`). */
  service_types: string[];
  /** Service instances with their SRV target and port when announced. */
  services: { instance: string; target?: string; port?: number }[];
  /** TXT key=value pairs per instance (`ty`, `product`, `model`, `usb_MDL` …). */
  txt: { instance: string; keys: Record<string, string> }[];
  packet: number;
  [k: string]: unknown;
}

/** A NetBIOS name registered, queried, released or answered (RFC 1002 §4.2). */
export interface NbnsNameEvent {
  type: 'nbns.name';
  host: string;
  name: string;
  suffix: number;
  opcode_name: string;
  is_response: boolean;
  /** The NB_FLAGS group bit: a group (workgroup/domain) name rather than a host's own. */
  group?: boolean;
  /** Address bound to the name (registration or positive answer). */
  addr?: string;
  /** Node-status answers list the names of the answering host and its MAC. */
  status_names?: string[];
  mac?: string;
  packet: number;
  [k: string]: unknown;
}
