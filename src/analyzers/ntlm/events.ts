// Typed events of NTLM authentication (whatever protocol carried it).

/** One NTLM authentication attempt: the ntlm.log line. */
export interface NtlmAuthEvent {
  type: 'ntlm.auth';
  /** Time and packet of the first NTLM message of the attempt (Zeek's ts). */
  tsSec: number;
  tsNsec: number;
  packet: number;
  username?: string;
  hostname?: string;
  domainname?: string;
  server_nb_computer_name?: string;
  server_dns_computer_name?: string;
  server_tree_name?: string;
  /** Set when the carrier (SPNEGO negState, SMB status, LDAP/HTTP result) told us. */
  success?: boolean;
  client_version?: string;
  server_version?: string;
  /** The client answered with an NTLMv1 response (crackable). */
  ntlm_v1?: boolean;
  anonymous?: boolean;
  [k: string]: unknown;
}

/** A Windows version an NTLM peer announced (VERSION structure), for the device inventory. */
export interface NtlmVersionEvent {
  type: 'ntlm.version';
  side: 'client' | 'server';
  /** Address of the host that sent it. */
  host: string;
  major: number;
  minor: number;
  build: number;
  version: string;
  packet: number;
  [k: string]: unknown;
}

/** Names a server announced in its CHALLENGE (inventory: hostname and domain of the server). */
export interface NtlmServerNamesEvent {
  type: 'ntlm.server_names';
  host: string;
  nb_computer_name?: string;
  nb_domain_name?: string;
  dns_computer_name?: string;
  dns_domain_name?: string;
  dns_tree_name?: string;
  packet: number;
  [k: string]: unknown;
}
