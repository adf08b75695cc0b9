// Typed events of the DHCP analyzer. `dhcp.message` / `dhcpv6.message` carry one message's
// identity fields (the device fingerprint: option 55 order, vendor class 60, host name 12,
// client MAC); `dhcp.release` tells the log that a flow will add nothing more to a transaction.

export interface DhcpMessageEvent {
  type: 'dhcp.message';
  is_orig: boolean;
  /** BOOTP op: true for BOOTREQUEST (sent by a client or a relay on its behalf). */
  from_client: boolean;
  xid: number;
  msg_type: string;
  /** chaddr as a MAC ('' when the hardware address is not 6 bytes). */
  mac: string;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  host_name?: string;
  domain?: string;
  requested_addr?: string;
  lease_time?: number;
  server_id?: string;
  /** Option 55 codes in order, comma-separated ("1,3,6,15"). */
  param_list?: string;
  vendor_class?: string;
  client_id?: string;
  client_id_type?: number;
  client_fqdn?: string;
  message?: string;
  circuit_id?: string;
  agent_remote_id?: string;
  subscriber_id?: string;
  relay_sub_options?: string;
  vendor_specific?: string;
  user_class?: string;
  max_message_size?: number;
  routers?: string[];
  /** Option 121 (or 249): classless static routes, "destination/width via router". */
  classless_routes?: string[];
  /** Option 1: the subnet mask the server assigns (segment inference). */
  subnet_mask?: string;
  dns_servers?: string[];
  /** Option codes in wire order (fingerprint), comma-separated. */
  options: string;
  truncated_options: boolean;
  packet: number;
  [k: string]: unknown;
}

export interface Dhcp6MessageEvent {
  type: 'dhcpv6.message';
  is_orig: boolean;
  xid: number;
  msg_type: string;
  duid?: string;
  duid_type?: number;
  /** Link-layer address from a DUID-LLT/DUID-LL of Ethernet type. */
  mac?: string;
  enterprise?: number;
  server_duid?: string;
  /** Option Request Option codes in order, comma-separated. */
  param_list?: string;
  vendor_class?: string;
  vendor_enterprise?: number;
  user_class?: string;
  client_fqdn?: string;
  addresses: string[];
  prefixes: string[];
  dns_servers?: string[];
  relay_hops: number;
  options: string;
  truncated_options: boolean;
  packet: number;
  [k: string]: unknown;
}

export interface DhcpReleaseEvent {
  type: 'dhcp.release';
  /** Transaction key: `4:<xid>` or `6:<xid>`. */
  key: string;
  [k: string]: unknown;
}
