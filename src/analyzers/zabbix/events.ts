// Typed events of the Zabbix analyzer.

/**
 * One Zabbix request and its response (zabbix.log): who asked for what, and what the monitored
 * host said of itself. Item values are never kept, apart from the identity keys (agent.version,
 * agent.hostname, system.hostname, system.uname, system.sw.os), which describe the host.
 */
export interface ZabbixTransaction {
  type: 'zabbix.transaction';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** "passive" (the server asks the agent on 10050) or "active" (a client sends JSON requests to the server on 10051). */
  mode?: string;
  /** "passive check", or the JSON request verbatim: "active checks", "agent data", "sender data", "proxy config" … */
  request?: string;
  /** Which end is the monitored host's agent ("orig"/"resp"), when the request says so. */
  agent_side?: string;
  /** The host name the agent (or sender) states: its configured Hostname. */
  host?: string;
  /** The version the agent states ("6.2"), or a passive agent.version answer. */
  agent_version?: string;
  /** 1 Zabbix agent, 2 Zabbix agent 2 (the "variant" of an active request). */
  agent_variant?: number;
  /** The agent's listen address and port of an active checks request. */
  agent_ip?: string;
  agent_port?: number;
  /** HostMetadata was sent (its text is not kept: autoregistration often uses it as a shared secret). */
  has_host_metadata?: boolean;
  /** Item keys requested or sent, in the order first seen (bounded). */
  keys: string[];
  /** Items in the message's data list (agent data, sender data, the active checks answer). */
  items?: number;
  /** Identity keys' values. */
  agent_hostname?: string;
  system_hostname?: string;
  system_uname?: string;
  system_sw_os?: string;
  /** "success"/"failed" of a JSON response; "value" or "not supported" for a passive check. */
  response?: string;
  /** A JSON response's info, or ZBX_NOTSUPPORTED's reason. */
  response_info?: string;
  /** A message of the pair was zlib-compressed (flags 0x02), or a large packet (0x04). */
  compressed: boolean;
  large?: boolean;
  /** A request without the ZBXD header (pre-4.0 servers' passive checks). */
  headerless?: boolean;
  /** A message was longer than the analyzer keeps, or decompressed to more: not read whole. */
  truncated?: boolean;
  [k: string]: unknown;
}
