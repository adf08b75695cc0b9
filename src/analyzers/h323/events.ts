// Typed events of the H.323 analyzer (H.225.0 RAS and call signalling).

/** What a message said of one endpoint: its H.221 identity, product strings, node kinds, aliases. */
export interface EndpointFields {
  /** t35CountryCode/t35Extension/manufacturerCode of its VendorIdentifier ("130/1/256"). */
  t35?: string;
  /** The maker those codes are registered to, when vendors.ts knows them. */
  manufacturer?: string;
  product_id?: string;
  version_id?: string;
  /** The kinds of node its EndpointType declares: terminal, gateway, mcu, gatekeeper. */
  terminal_type?: string[];
  /** A multipoint controller (EndpointType's mc). */
  mc?: boolean;
  /** Its H.323-ID aliases (the unit's name), bounded. */
  h323_ids?: string[];
  /** Telephone-number aliases (dialledDigits, partyNumber, isupNumber): counted, never read. */
  numbers?: number;
  /** URL, e-mail, transport and mobile aliases: counted only. */
  other_aliases?: number;
}

/**
 * One RAS transaction (h323.log, kind "ras"): a request paired with its confirm or reject by
 * requestSeqNum and direction, or a message nothing answered or that answered nothing seen.
 */
export interface H323Ras extends EndpointFields {
  type: 'h323.ras';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Whether the first message's sender is the flow's originator. */
  is_orig: boolean;
  request?: string;
  reply?: string;
  seq?: number;
  /** The same request again while unanswered. */
  retransmits?: number;
  /** A RequestInProgress (RIP) came before the answer. */
  in_progress?: boolean;
  /** Whether the endpoint (not the gatekeeper) is the flow's originator, once a message showed it. */
  endpoint_is_orig?: boolean;
  protocol_version?: number;
  /** The reject reason (GRJ, RRJ, URJ, ARJ, BRJ, DRJ, LRJ), or a URQ's or DRQ's reason. */
  reason?: string;
  gatekeeper_id?: string;
  endpoint_id?: string;
  call_model?: string;
  /** A lightweight RRQ that only refreshes a registration. */
  keep_alive?: boolean;
  /** H.235 tokens or cryptoTokens in any of its messages. */
  h235?: boolean;
  [k: string]: unknown;
}

/**
 * One H.225.0 call signalling connection (h323.log, kind "call"), reported when it ends: the Q.931
 * messages and H.225.0 bodies seen, each side's identity, how it ended, and the media control on
 * offer. Display names and calling and called numbers are only flagged as present.
 */
export interface H323Call {
  type: 'h323.call';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Whether the calling side (Setup's sender, or by the call reference flag) is the originator. */
  caller_is_orig?: boolean;
  messages: number;
  q931_messages: string[];
  h225_messages: string[];
  protocol_version?: number;
  caller: EndpointFields;
  callee: EndpointFields;
  release_reason?: string;
  /** Q.850 cause value of a Cause element (Release Complete's, Disconnect's). */
  q931_cause?: number;
  facility_reason?: string;
  /** h245Tunnelling as the messages said it (true once any side set it). */
  h245_tunnelling?: boolean;
  /** H.245 messages were tunnelled (h245Control). */
  h245_tunnelled?: boolean;
  /** An h245Address offered for a separate H.245 connection. */
  h245_address?: boolean;
  fast_start_offered?: boolean;
  fast_start_answered?: boolean;
  h235?: boolean;
  /** A Display element (the caller's or connected party's name) was present. */
  display?: boolean;
  calling_number?: boolean;
  called_number?: boolean;
  [k: string]: unknown;
}
