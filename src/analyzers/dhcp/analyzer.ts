// Per-flow DHCP state: each datagram is one DHCPv4 or DHCPv6 message, emitted as an event.
// The flow remembers which transaction ids it carried (bounded) so it can tell the dhcp log
// when it will add nothing more to one: after the transaction has been quiet on this flow for
// longer than Zeek's DHCP::max_txid_watch_time allows, and when the flow ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { Dhcp6MessageEvent, DhcpMessageEvent } from './events.js';
import { DHCP_MESSAGE_TYPES, parseDhcp, type DhcpMessage } from './parse.js';
import { DHCP6_MESSAGE_TYPES, parseDhcp6, type Dhcp6Message } from './parse6.js';
import { DHCP6_CLIENT_PORT, DHCP6_SERVER_PORT } from './probe.js';

/** Transactions remembered per flow; the oldest is released when full. */
const MAX_KEYS = 256;
/** Seconds of quiet on this flow after which a transaction is released (30 s watch + 5 s). */
export const RELEASE_AFTER = 35;

export function dhcpTypeName(t: number): string {
  return DHCP_MESSAGE_TYPES[t] ?? `unknown-message-type-${t}`;
}

export class DhcpAnalyzer implements FlowAnalyzer {
  /** Transaction key → network time last seen on this flow (insertion-ordered). */
  private readonly keys = new Map<string, number>();
  private confirmed4 = false;
  private confirmed6 = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const c = ctx.conn;
    const v6Port = c.oPort === DHCP6_CLIENT_PORT || c.oPort === DHCP6_SERVER_PORT || c.rPort === DHCP6_CLIENT_PORT || c.rPort === DHCP6_SERVER_PORT;
    const now = ctx.packet.ts;
    let key: string;
    const r = parseDhcp(buf, off, len);
    if (typeof r !== 'string') {
      if (!this.confirmed4) {
        ctx.confirm('dhcp');
        this.confirmed4 = true;
      }
      if (r.truncatedOptions) ctx.weird('dhcp.truncated_options');
      ctx.emit(v4Event(r, isOrig, ctx.packet.packetNo));
      key = `4:${r.xid}`;
    } else if (v6Port) {
      const r6 = parseDhcp6(buf, off, len);
      if (typeof r6 === 'string') {
        ctx.weird(`dhcpv6.${r6}`);
        return;
      }
      if (!this.confirmed6) {
        ctx.confirm('dhcpv6');
        this.confirmed6 = true;
      }
      if (r6.truncatedOptions) ctx.weird('dhcpv6.truncated_options');
      ctx.emit(v6Event(r6, isOrig, ctx.packet.packetNo));
      key = `6:${r6.xid}`;
    } else {
      ctx.weird(`dhcp.${r}`);
      return;
    }
    this.keys.delete(key);
    this.keys.set(key, now);
    this.releaseStale(ctx, now);
  }

  end(ctx: AnalyzerContext): void {
    for (const k of this.keys.keys()) ctx.emit({ type: 'dhcp.release', key: k });
    this.keys.clear();
  }

  private releaseStale(ctx: AnalyzerContext, now: number): void {
    // Oldest first: stop at the first key still in use.
    for (const [k, t] of this.keys) {
      if (now - t <= RELEASE_AFTER && this.keys.size <= MAX_KEYS) break;
      this.keys.delete(k);
      ctx.emit({ type: 'dhcp.release', key: k });
    }
  }
}

function v4Event(r: DhcpMessage, isOrig: boolean, packet: number): DhcpMessageEvent {
  const ev: DhcpMessageEvent = {
    type: 'dhcp.message',
    is_orig: isOrig,
    from_client: r.op === 1,
    xid: r.xid,
    msg_type: dhcpTypeName(r.msgType),
    mac: r.chaddr,
    ciaddr: r.ciaddr,
    yiaddr: r.yiaddr,
    siaddr: r.siaddr,
    giaddr: r.giaddr,
    options: r.optionCodes.join(','),
    truncated_options: r.truncatedOptions,
    packet,
  };
  if (r.hostName !== undefined) ev.host_name = r.hostName;
  if (r.domainName !== undefined) ev.domain = r.domainName;
  if (r.requestedAddr !== undefined) ev.requested_addr = r.requestedAddr;
  if (r.leaseTime !== undefined) ev.lease_time = r.leaseTime;
  if (r.serverId !== undefined) ev.server_id = r.serverId;
  if (r.paramList !== undefined) ev.param_list = r.paramList.join(',');
  if (r.vendorClass !== undefined) ev.vendor_class = r.vendorClass;
  if (r.clientId !== undefined) {
    ev.client_id = r.clientId.hwaddr;
    ev.client_id_type = r.clientId.hwtype;
  }
  if (r.clientFqdn !== undefined) ev.client_fqdn = r.clientFqdn;
  if (r.message !== undefined) ev.message = r.message;
  if (r.relay !== undefined) {
    if (r.relay.circuit_id !== undefined) ev.circuit_id = r.relay.circuit_id;
    if (r.relay.agent_remote_id !== undefined) ev.agent_remote_id = r.relay.agent_remote_id;
    if (r.relay.subscriber_id !== undefined) ev.subscriber_id = r.relay.subscriber_id;
    ev.relay_sub_options = r.relay.codes.join(',');
  }
  if (r.vendorSpecific !== undefined) ev.vendor_specific = r.vendorSpecific;
  if (r.userClass !== undefined) ev.user_class = r.userClass;
  if (r.maxMessageSize !== undefined) ev.max_message_size = r.maxMessageSize;
  if (r.routers !== undefined) ev.routers = r.routers;
  if (r.classlessRoutes !== undefined) ev.classless_routes = r.classlessRoutes;
  if (r.subnetMask !== undefined) ev.subnet_mask = r.subnetMask;
  if (r.dnsServers !== undefined) ev.dns_servers = r.dnsServers;
  return ev;
}

function v6Event(r: Dhcp6Message, isOrig: boolean, packet: number): Dhcp6MessageEvent {
  const ev: Dhcp6MessageEvent = {
    type: 'dhcpv6.message',
    is_orig: isOrig,
    xid: r.xid,
    msg_type: DHCP6_MESSAGE_TYPES[r.msgType] ?? `unknown-message-type-${r.msgType}`,
    addresses: r.addresses,
    prefixes: r.prefixes,
    relay_hops: r.relayHops,
    options: r.optionCodes.join(','),
    truncated_options: r.truncatedOptions,
    packet,
  };
  if (r.clientId !== undefined) {
    ev.duid = r.clientId.hex;
    ev.duid_type = r.clientId.type;
    if (r.clientId.mac !== undefined) ev.mac = r.clientId.mac;
    if (r.clientId.enterprise !== undefined) ev.enterprise = r.clientId.enterprise;
  }
  if (r.serverId !== undefined) ev.server_duid = r.serverId.hex;
  if (r.oro !== undefined) ev.param_list = r.oro.join(',');
  if (r.vendorClass !== undefined) {
    ev.vendor_class = r.vendorClass.data.join(',');
    ev.vendor_enterprise = r.vendorClass.enterprise;
  }
  if (r.userClass !== undefined) ev.user_class = r.userClass.join(',');
  if (r.clientFqdn !== undefined) ev.client_fqdn = r.clientFqdn;
  if (r.dnsServers !== undefined) ev.dns_servers = r.dnsServers;
  return ev;
}
