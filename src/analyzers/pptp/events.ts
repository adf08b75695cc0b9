// Typed events of the PPTP analyzer.
export interface PptpSession {
  type: 'pptp.session';
  tsSec: number;
  tsNsec: number;
  version?: string;
  client_hostname?: string;
  client_vendor?: string;
  server_hostname?: string;
  server_vendor?: string;
  control_result?: string;
  /** Outgoing calls requested, and the first reply's result. */
  calls: number;
  call_result?: string;
  /** The control connection was accepted and a call connected. */
  established: boolean;
  packet: number;
  [k: string]: unknown;
}
