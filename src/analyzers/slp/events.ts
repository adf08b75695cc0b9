// Typed events of the SLP analyzer.

/**
 * One SLP exchange (slp.log): a request and the reply with its XID from the other side, or a
 * message alone (a multicast request answered on another flow, an unsolicited DAAdvert or
 * SAAdvert, a reply whose request the capture missed).
 */
export interface SlpMessageEvent {
  type: 'slp.message';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Whether the first message of the exchange came from the connection's originator. */
  is_orig: boolean;
  version: 1 | 2;
  /** The request's function (or the lone message's). */
  function: string;
  /** The reply's function and packet, when one was paired. */
  reply?: string;
  reply_packet?: number;
  xid: number;
  lang: string;
  /** The request asked for multicast (version 2's R flag). */
  multicast: boolean;
  overflow: boolean;
  fresh: boolean;
  service_type?: string;
  scopes?: string;
  predicate?: string;
  naming_authority?: string;
  /** AttrRqst: the URL or service type asked about. */
  url?: string;
  /** URLs of the reply, registration, deregistration or advertisement, with their lifetimes (seconds). */
  urls: string[];
  lifetimes: number[];
  /** SrvTypeRply's service types. */
  service_types: string[];
  /** Attribute tags of an attribute list (AttrRply, SrvReg, DAAdvert, SAAdvert). */
  attributes: string[];
  /** "tag=value" of the identity attributes only (parse.ts IDENTITY_ATTRS). */
  attribute_values: string[];
  tags?: string;
  error?: number;
  /**
   * Which side is a service or directory agent: the sender of a SrvRply, AttrRply, SrvTypeRply,
   * DAAdvert or SAAdvert that answered a request of this exchange or came from port 427, or of
   * a SrvReg. Absent when no message of the exchange shows one.
   */
  agent_is_orig?: boolean;
  /** The agent answered a request (SrvRply, AttrRply, SrvTypeRply): its SLP service is reachable. */
  answered?: boolean;
  /** Request retransmissions (same XID again before the answer). */
  retransmissions: number;
  [k: string]: unknown;
}
