// Typed events of the WireGuard analyzer.
export interface WireguardSession {
  type: 'wireguard.session';
  tsSec: number;
  tsNsec: number;
  /** A response answered an initiation of this flow, or transport data went both ways. */
  established: boolean;
  initiations: number;
  responses: number;
  cookie_replies: number;
  transport_packets: number;
  packet: number;
  [k: string]: unknown;
}
