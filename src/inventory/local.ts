// Which addresses are the site's own: the inventory lists devices there (RFC 1918, RFC 6598
// shared space, link-local, RFC 4193 unique-local and IPv6 link-local by default, or the
// networks given with --local-nets), not every Internet host a device talked to. The ranges are
// the monitor's NetSet (matched on the flow table's address words or on address text).
import { addrWords, globallyRoutable, NetSet } from '../monitor/net.js';

const DEFAULT_LOCAL = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'];

/** One network of --local-nets, checked: the CIDR without surrounding blanks, or "not a network". */
export function parseNet(cidr: string): string {
  const c = cidr.trim();
  try {
    new NetSet([c]);
  } catch {
    throw new Error(`not a network: ${cidr}`);
  }
  return c;
}

/**
 * The site's own networks (default: private and link-local ranges), for addresses in the flow
 * table's form or as text: what tells an Internet peer from a local one.
 */
export class LocalNets {
  private readonly set: NetSet;
  constructor(cidrs: readonly string[] = DEFAULT_LOCAL) {
    this.set = new NetSet(cidrs.map(parseNet));
  }

  /** Whether an address given as text is in the site's networks. */
  has(addr: string): boolean {
    return this.set.hasAddr(addr);
  }

  hasWords(w0: number, w1: number, w2: number, w3: number): boolean {
    return this.set.has(w0, w1, w2, w3);
  }

  /** An Internet address: globally routable (see globallyRoutable) and not one of the site's networks. */
  isInternetWords(w0: number, w1: number, w2: number, w3: number): boolean {
    return globallyRoutable(w0, w1, w2, w3) && !this.set.has(w0, w1, w2, w3);
  }

  /** The same for an address given as text; false for text that is no address. */
  isInternet(addr: string): boolean {
    const w = addrWords(addr);
    return w !== null && this.isInternetWords(w[0], w[1], w[2], w[3]);
  }
}

/** A predicate for "this address is local", from CIDR strings (default: private and link-local ranges). */
export function localNets(cidrs: readonly string[] = DEFAULT_LOCAL): (addr: string) => boolean {
  const nets = new LocalNets(cidrs);
  return (addr: string): boolean => nets.has(addr);
}

/**
 * The hosts the assessment may list as devices of their own: local ones, less those the
 * inventory left out as a flood's forged sources (Inventory.forgedSources).
 */
export function deviceHosts(cidrs: readonly string[] | undefined, forged: ReadonlySet<string> | null): (addr: string) => boolean {
  const local = localNets(cidrs);
  return forged === null || forged.size === 0 ? local : (addr: string): boolean => local(addr) && !forged.has(addr);
}
