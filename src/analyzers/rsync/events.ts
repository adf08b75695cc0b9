// Typed events of the rsync daemon protocol.

/** One per connection, when it ends: rsync.log. */
export interface RsyncSession {
  type: 'rsync.session';
  packet: number;
  tsSec: number;
  tsNsec: number;
  /** The daemon's address and port (the connection's responder). */
  server: string;
  server_p: number;
  server_version: string | null;
  client_version: string | null;
  /** Checksums the daemon offered (protocol 32). */
  checksums: string[];
  /** The daemon's message of the day (its first line). */
  motd: string | null;
  /** The module the client asked for; null for a list request. */
  module: string | null;
  listing: boolean;
  /** Modules a list answer named. */
  modules: string[];
  /** The daemon asked for a password (AUTHREQD), and the user that answered. */
  auth_required: boolean;
  user: string | null;
  /** ok (module opened), listed, auth-failed, error; null when the daemon did not say. */
  result: string | null;
  error: string | null;
  /** download (the client receives: --sender) or upload, once the arguments are seen. */
  direction: string | null;
  /** The paths the client named (module/path). */
  paths: string[];
  [k: string]: unknown;
}
