// Typed events of Bitcoin's peer-to-peer protocol.

/** A node's version message: who it says it is. */
export interface BitcoinVersionEvent {
  type: 'bitcoin.version';
  packet: number;
  tsSec: number;
  tsNsec: number;
  /** The sender and its peer (addresses as text), and whether the sender opened the connection. */
  node: string;
  node_p: number;
  peer: string;
  is_orig: boolean;
  network: string;
  version: number;
  services: string[];
  user_agent: string | null;
  start_height: number | null;
  [k: string]: unknown;
}

/** One per connection, when it ends: bitcoin.log. */
export interface BitcoinSession {
  type: 'bitcoin.session';
  packet: number;
  tsSec: number;
  tsNsec: number;
  network: string;
  orig_version: number | null;
  orig_user_agent: string | null;
  orig_start_height: number | null;
  orig_services: string[] | null;
  resp_version: number | null;
  resp_user_agent: string | null;
  resp_start_height: number | null;
  resp_services: string[] | null;
  commands: string[];
  messages: number;
  blocks: number;
  transactions: number;
  [k: string]: unknown;
}
