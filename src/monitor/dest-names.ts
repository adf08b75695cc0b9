// The names internal hosts used for Internet destinations — a TLS client hello's server name, an
// HTTP request's Host — so an alert about traffic to an address can say what the host thought it
// was reaching (beaconing, bulk uploads). Bounded: the oldest pair is forgotten first.
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import { PROTO_TCP } from '../flow/conn.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { NetSet } from './net.js';
import { evictOldest } from '../util/evict.js';

/** An IPv4 or IPv6 address or prefix (else a DNS name or suffix). */
const NET = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:]*)(?:\/\d{1,3})?$/i;

export class DestNames {
  /** `orig|resp` → the latest name the originator used for the responder */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly internal: NetSet,
    private readonly max: number,
  ) {}

  onEvent(ev: AppEvent, c: Conn | null): void {
    if (c === null || c.proto !== PROTO_TCP) return;
    let name = '';
    if (ev.type === 'ssl.client_hello' && typeof ev.server_name === 'string') name = ev.server_name;
    else if (ev.type === 'http.transaction' && typeof ev.host === 'string') name = ev.host.replace(/:\d+$/, '');
    if (name === '' || !this.internal.has(c.o0, c.o1, c.o2, c.o3) || this.internal.has(c.r0, c.r1, c.r2, c.r3)) return;
    const key = `${origAddr(c)}|${respAddr(c)}`;
    if (!this.names.has(key) && this.names.size >= this.max) evictOldest(this.names);
    this.names.set(key, name);
  }

  /** The name `orig` used for `resp`, or ''. */
  get(orig: string, resp: string): string {
    return this.names.get(`${orig}|${resp}`) ?? '';
  }

  size(): number {
    return this.names.size;
  }
}

/** An allow list of addresses, prefixes and DNS names (a name covers its subdomains). */
export class DestAllow {
  private readonly nets: NetSet;
  private readonly names: string[] = [];

  constructor(entries: readonly string[]) {
    const nets: string[] = [];
    for (const a of entries) (NET.test(a) ? nets : this.names).push(a.toLowerCase());
    this.nets = new NetSet(nets);
  }

  hasAddr(ip: string): boolean {
    return this.nets.hasAddr(ip);
  }

  hasName(name: string): boolean {
    if (name === '') return false;
    const n = name.toLowerCase();
    for (const a of this.names) if (n === a || n.endsWith(`.${a}`)) return true;
    return false;
  }
}
