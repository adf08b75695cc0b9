// Typed events of the DNSCrypt analyzer.
export interface DnscryptSession {
  type: 'dnscrypt.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Client queries: those seen, and on UDP the one the first response answered when it came before recognition. */
  queries: number;
  /** Resolver responses (messages starting with the resolver magic). */
  responses: number;
  /** The client magic of the first query seen (hex): the resolver certificate's key id. */
  client_magic?: string;
  [k: string]: unknown;
}
