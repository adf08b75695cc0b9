// Typed events of the XDMCP analyzer.

/** One XDMCP flow: the display manager's answers and the X terminal's requests (xdmcp.log). */
export interface XdmcpSession {
  type: 'xdmcp.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Messages by name, in the order first seen. */
  messages: string[];
  queries: number;
  /** The display manager sent on this flow as its originator (true) or responder (false). */
  manager_orig?: boolean;
  /** The X terminal sent on this flow as its originator (true) or responder (false). */
  terminal_orig?: boolean;
  /** Authentication names a query offered. */
  auth_offered?: string[];
  /** The display manager's host name and status (Willing, Unwilling). */
  hostname?: string;
  status?: string;
  /** The X terminal's Request: its display number, addresses, manufacturer's display id, authorization names asked for. */
  display_number?: number;
  addresses?: string[];
  manufacturer_display_id?: string;
  authorization_requested?: string[];
  /** Accept: the authorization scheme (MIT-MAGIC-COOKIE-1 …); its data never kept. */
  authorization_name?: string;
  has_authorization?: boolean;
  display_class?: string;
  /** accepted, declined, refused or failed, with the status text of a decline or failure. */
  outcome?: string;
  reason?: string;
  [k: string]: unknown;
}
