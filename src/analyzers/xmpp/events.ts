// Typed events of XMPP.

/** One per connection, when it ends: xmpp.log. */
export interface XmppSession {
  type: 'xmpp.session';
  packet: number;
  tsSec: number;
  tsNsec: number;
  /** jabber:client or jabber:server (server-to-server). */
  stream: string;
  to: string;
  from: string;
  version: string;
  starttls_offered: boolean;
  starttls_required: boolean;
  tls: boolean;
  mechanisms: string[];
  mechanism: string;
  user: string;
  password: boolean;
  auth_success: boolean | null;
  auth_failure: string;
  resource: string;
  client_software: string;
  server_software: string;
  iq: number;
  presence: number;
  message: number;
  /** Messages that carried a body (chat text, never kept). */
  bodies: number;
  /** Joined mid-way: the stream's header was not seen. */
  midstream: boolean;
  [k: string]: unknown;
}
