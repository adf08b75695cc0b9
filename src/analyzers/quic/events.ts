// Typed events of the QUIC analyzer.

/** One QUIC connection, reported when it ends (quic.log, Zeek's fields). */
export type QuicSessionEvent = {
  type: 'quic.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** "1", "quicv2", "draft-29", "mvfst (faceb002)", Google's "Q046"/"T051", or the hex of an unknown one. */
  version: string;
  /** Hex of the Destination Connection ID of the client's first Initial (its keys' input). */
  client_initial_dcid?: string;
  client_scid?: string;
  server_scid?: string;
  /** The ClientHello's server name (or gQUIC CHLO's SNI tag). */
  server_name?: string;
  /** The first ALPN protocol the client offered. */
  client_protocol?: string;
  /** gQUIC CHLO's UAID tag: the browser's user agent. */
  user_agent?: string;
  history: string;
};
