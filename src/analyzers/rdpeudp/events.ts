// Typed events of the RDP-UDP analyzer.

/** One RDP-UDP transport, reported when the connection ends (rdpeudp.log). */
export type RdpeudpSessionEvent = {
  type: 'rdpeudp.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** The transport version both ends use: the server's answer, else the client's offer, else 1 (absent when joined mid-session). */
  version?: number;
  /** The client offered 1, 2 or 3 (absent: no version in its SYN). */
  client_version?: number;
  /** The server answered the SYN (a SYN+ACK acknowledging the client's sequence number). */
  established: boolean;
  /** SYNLOSSY: the client asked for the lossy transport (secured with DTLS, not TLS). */
  lossy?: boolean;
  mtu_up?: number;
  mtu_down?: number;
  /** The capture joined the transport after its handshake (what the SYN says is unknown). */
  midstream?: boolean;
  correlation_id?: string;
  /** From the ClientHello the transport carried: TLS or DTLS, and the name the client asked for. */
  security?: 'tls' | 'dtls';
  server_name?: string;
};
