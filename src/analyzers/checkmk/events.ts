// Typed events of the Checkmk agent analyzer.

/**
 * One connection to a Checkmk agent, reported when it ends (checkmk.log): what the agent's
 * <<<check_mk>>> section says of it, and which sections followed — their names and counts,
 * never their contents (processes, users, mounts, interfaces … : the host's whole inventory).
 */
export interface CheckmkSession {
  type: 'checkmk.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** "plain"; "tls" (the agent controller's "16" and a TLS handshake); "encrypted" (a legacy agent's encrypted output). */
  transport: string;
  version?: string;
  agent_os?: string;
  hostname?: string;
  /** The OnlyFrom line as the agent states it. */
  only_from?: string;
  /** OnlyFrom was stated and empty: the agent answers anyone who connects. */
  open_to_all?: boolean;
  /** Section names in the order first seen (bounded). */
  sections: string[];
  /** Section header lines, repeated ones included. */
  section_count: number;
  /** Bytes the agent sent. */
  bytes: number;
  [k: string]: unknown;
}

/** The agent answered "16": TLS follows (the engine hands the stream to the TLS analyzer). */
export interface CheckmkStartTls {
  type: 'checkmk.starttls';
}
