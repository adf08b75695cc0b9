// Typed events of the Neighbor Discovery analyzer.

/** One ND message (ndp.log), with the IPv6 and Ethernet addresses it travelled between. */
export interface NdEvent {
  type: 'ndp.message';
  msg_type: string;
  src: string;
  dst: string;
  mac_src: string;
  mac_dst: string;
  hop_limit: number;
  target?: string;
  destination?: string;
  lladdr?: string;
  router?: boolean;
  solicited?: boolean;
  override?: boolean;
  cur_hop_limit?: number;
  managed?: boolean;
  other?: boolean;
  preference?: string;
  router_lifetime?: number;
  reachable_time?: number;
  retrans_timer?: number;
  /** RA Prefix Information: `prefix/len`, with `onLink`/`autonomous` and lifetimes in `prefix_info`. */
  prefixes?: string[];
  /** Per prefix: L and A flags as "LA", "L", "A" or "-", then valid/preferred lifetimes. */
  prefix_info?: string[];
  mtu?: number;
  routes?: string[];
  rdnss?: string[];
  dnssl?: string[];
  captive_portal?: string;
  secured?: boolean;
  /** Carried inside a tunnel: the tunnel's link, not the captured segment's (no binding, no router of the segment). */
  tunneled?: boolean;
  /**
   * Why the message fails RFC 4861's validity checks and a host would discard it: a hop limit
   * other than 255 (it was forwarded, so it came from off the link), a code other than 0, a
   * router advertisement from a non-link-local source, an option of length 0. Such a message
   * yields no binding and no router.
   */
  bad?: string;
  packet: number;
  [k: string]: unknown;
}

/**
 * For the inventory and the monitor: a host asserted that `ip` is at `mac` (the link-layer
 * address option of a solicitation or advertisement). `override` is false only for a neighbor
 * advertisement without the O flag (an anycast or proxy answer, which no cache lets replace an
 * entry: RFC 4861 §7.2.5).
 */
export interface NdBinding {
  type: 'ndp.binding';
  ip: string;
  mac: string;
  source: 'ndp.rs' | 'ndp.ra' | 'ndp.ns' | 'ndp.na';
  override: boolean;
  packet: number;
  [k: string]: unknown;
}
