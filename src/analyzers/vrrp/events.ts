// Typed events of the VRRP analyzer.

/** One VRRP advertisement (vrrp.log): the master of a virtual router announcing itself. */
export interface VrrpEvent {
  type: 'vrrp.message';
  router: string;
  mac_src: string;
  ttl: number;
  version: number;
  vrid: number;
  /** 255: the address owner; 0: the master is stepping down. */
  priority: number;
  addresses: string[];
  /** Seconds between advertisements. */
  interval: number;
  /** Version 2: "none", "text" (a password in clear, never logged) or "ah". */
  auth?: string;
  tunneled?: boolean;
  /** Why a router would discard it: a TTL other than 255 (RFC 5798 §7.1: it came from off the link), no addresses, cut short. */
  bad?: string;
  packet: number;
  [k: string]: unknown;
}
