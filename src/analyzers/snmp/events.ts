// Typed events of the SNMP analyzer. The community never appears: only its keyed digest.

export interface SnmpPdu {
  type: 'snmp.pdu';
  is_orig: boolean;
  version: string;
  pdu_type: string;
  request_id?: number;
  error_status?: number;
  /** v3 USM user name and authoritative engine id (not secrets). */
  user?: string;
  engine_id?: string;
  enterprise?: string;
  oids: string[];
  packet: number;
  [k: string]: unknown;
}

/** Where a v1/v2c community went and what it was (as a keyed digest, never the value). */
interface SnmpCommunityFields {
  /** The side the community went to: the agent of a request, the receiver of a trap. */
  server: string;
  server_p: number;
  client: string;
  version: string;
  /** secretDigest(community), never logged. */
  secret: string;
  /** The community is 'public' or 'private'. */
  community_is_default: boolean;
  packet: number;
  [k: string]: unknown;
}

/** A request carried a v1/v2c community (each new one per flow): tried, accepted or not. */
export interface SnmpCommunity extends SnmpCommunityFields {
  type: 'snmp.community';
}

/**
 * A v1/v2c community crossed the wire in clear: the agent answered a request that carried it
 * (`success` true; `packet` is the request's), a trap or inform brought it, or no agent answered
 * the request (`answered` false, when the flow ends).
 */
export interface SnmpCredential extends SnmpCommunityFields {
  type: 'snmp.credential';
  /** True when an agent's answer showed it accepted the community; absent for traps and informs. */
  success?: boolean;
  /** False for a request no agent answered (reported when the flow ends; `server` is its target). */
  answered?: boolean;
}

/** System group values an agent returned (sysDescr, sysObjectID, sysName …). */
export interface SnmpSystem {
  type: 'snmp.system';
  host: string;
  sys_descr?: string;
  sys_object_id?: string;
  sys_name?: string;
  sys_location?: string;
  sys_contact?: string;
  sys_uptime?: number;
  packet: number;
  [k: string]: unknown;
}

/** The flow's SNMP session, at its end: one snmp.log line. */
export interface SnmpSession {
  type: 'snmp.session';
  tsSec: number;
  tsNsec: number;
  duration: number;
  version: string;
  get_requests: number;
  get_bulk_requests: number;
  get_responses: number;
  set_requests: number;
  has_community: boolean;
  user?: string;
  display_string?: string;
  up_since?: number;
  [k: string]: unknown;
}
