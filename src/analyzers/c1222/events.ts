// Typed events of the C12.22 analyzer.

/** One C12.22 connection or UDP flow, reported when it ends (c1222.log). */
export interface C1222Session {
  type: 'c1222.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  called_ap_titles: string[];
  calling_ap_titles: string[];
  called_ap_invocation_ids: number[];
  calling_ap_invocation_ids: number[];
  security_modes: string[];
  response_controls: string[];
  /** EPSEM services seen in clear (ident, read, write, logon, security …). */
  services: string[];
  /** Tables read or written in clear: "read ST1", "write MT72". */
  tables: string[];
  /** Logon's user name; a Security service's password went by (never kept). */
  user?: string;
  has_password?: boolean;
  messages: number;
  [k: string]: unknown;
}
