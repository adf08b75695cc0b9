// Typed events of the SSH analyzer: identification strings, both KEXINITs with their HASSH, the
// server's host key, authentication guesses, and the connection summary for ssh.log.
import type { KexInit } from './parse.js';

export interface SshIdent {
  type: 'ssh.ident';
  is_orig: boolean;
  /** The sender is the client. */
  client: boolean;
  /** The whole identification line, e.g. "SSH-2.0-OpenSSH_7.4". */
  ident: string;
  proto_version: string;
  software: string;
  packet: number;
  [k: string]: unknown;
}

export interface SshKexInit {
  type: 'ssh.kexinit';
  is_orig: boolean;
  client: boolean;
  algorithms: KexInit;
  /** HASSH (client) or HASSHServer (server) and the string hashed. */
  hassh: string;
  hassh_algorithms: string;
  packet: number;
  [k: string]: unknown;
}

export interface SshHostKey {
  type: 'ssh.host_key';
  key_type: string;
  bits?: number;
  /** MD5 of the key blob, colon-separated (Zeek's host_key). */
  fingerprint: string;
  /** OpenSSH's SHA256 fingerprint. */
  fingerprint_sha256: string;
  ssh1: boolean;
  packet: number;
  [k: string]: unknown;
}

/** Zeek's ssh_auth_attempted guess from encrypted packet sizes. */
export interface SshAuth {
  type: 'ssh.auth';
  success: boolean;
  attempts: number;
  packet: number;
  [k: string]: unknown;
}

/** The ssh.log line. */
export interface SshSession {
  type: 'ssh.session';
  ts_sec: number;
  ts_nsec: number;
  version?: number;
  auth_success?: boolean;
  auth_attempts: number;
  client?: string;
  server?: string;
  cipher_alg?: string;
  mac_alg?: string;
  compression_alg?: string;
  kex_alg?: string;
  host_key_alg?: string;
  host_key?: string;
  hassh?: string;
  hasshServer?: string;
  packet: number;
  [k: string]: unknown;
}
