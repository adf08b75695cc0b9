// Typed events of the STUN analyzer.

/** One STUN/TURN flow, reported when it ends (stun.log). */
export type StunSessionEvent = {
  type: 'stun.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Methods seen, in first-seen order: binding, allocate, refresh, channel_bind … */
  methods: string[];
  requests: number;
  responses: number;
  indications: number;
  /** ERROR-CODE values of error responses (401 asks for credentials, 438 a stale nonce …). */
  error_codes: number[];
  /** SOFTWARE of the client's and the server's messages. */
  client_software?: string;
  server_software?: string;
  /** USERNAME of the client's requests: a TURN account, or ICE's "ufrag:ufrag" pair. */
  username?: string;
  realm?: string;
  /** The client's address as the server saw it (XOR-MAPPED-ADDRESS of a success response). */
  mapped_address?: string;
  /** The relay address a TURN server allocated. */
  relayed_address?: string;
  /** TURN ChannelData messages (relayed media, not parsed). */
  channel_data: number;
};
