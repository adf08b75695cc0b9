// Typed events of the SMB analyzer (SMB1, SMB2 and SMB3 alike).

/** smb.exploit_probe: see ../exploit-probe.ts. */
export type { ExploitProbeEvent as SmbExploitProbeEvent } from '../exploit-probe.js';

/**
 * smb.exploit: an exploit or an implant's command, not a probe.
 * - `eternalblue`, `secondary-mismatch`: an SMB1 transaction continued by another family's
 *   secondary request — the MS17-010 servers matched a secondary to its transaction by UID, TID,
 *   PID and MID without checking its command, and EternalBlue (CVE-2017-0144) sends its
 *   oversized FEA list as an NT_TRANSACT continued by TRANSACTION2_SECONDARY so that the server
 *   handles it as a TRANS2_OPEN2's. `eternalblue`: that pairing; `secondary-mismatch`: any other.
 * - `doublepulsar-exec`, `doublepulsar-kill`: a TRANS2_SESSION_SETUP whose Timeout bytes sum to
 *   the DoublePulsar implant's run-this-payload (0xc8) or remove-yourself (0x77) command; its
 *   ping (0x23) is a probe (smb.exploit_probe).
 */
export interface SmbExploitEvent {
  type: 'smb.exploit';
  exploit: 'eternalblue' | 'secondary-mismatch' | 'doublepulsar-exec' | 'doublepulsar-kill';
  client: string;
  server: string;
  /** The (primary) request's command (NT_TRANSACT, TRANSACTION2 …) and a foreign secondary's. */
  primary: string;
  secondary?: string;
  /** NT_TRANSACT's Function, or a TRANSACTION/TRANSACTION2's first setup word. */
  function: number;
  /** The (primary) request's TotalDataCount: how much data the transaction announced. */
  total_data: number;
  /** The SizeOfListInBytes opening its data, when the first setup word is TRANS2_OPEN2's (0). */
  fea_list_size?: number;
  /** DoublePulsar: its command, the Timeout's bytes summed (0xc8 exec, 0x77 kill). */
  opcode?: number;
  /**
   * DoublePulsar: the command's answer (a second event): whether the implant answered it (the
   * multiplex id raised by 16, 32 or 48) and what that says (success, invalid parameters,
   * allocation failure), with the answer's NT status.
   */
  answered?: boolean;
  implant?: boolean;
  implant_status?: string;
  status?: string;
  /** A secondary mismatch: the primary request's packet and time (`packet` is the secondary's); a DoublePulsar answer: its command's packet. */
  request_packet?: number;
  request_ts_sec?: number;
  request_ts_nsec?: number;
  packet: number;
  [k: string]: unknown;
}

/**
 * A dialect offer (client) or choice (server). `version` is the family in use ('SMB1' when the
 * message itself is SMB1); `smb1` says SMB1 is offered (client) or negotiated (server), the
 * fact the `smbv1` finding rests on.
 */
export interface SmbDialectEvent {
  type: 'smb.dialect';
  side: 'client' | 'server';
  host: string;
  version: 'SMB1' | 'SMB2' | 'SMB3';
  smb1: boolean;
  /** Client: every dialect offered, in order. */
  dialects?: string[];
  /** Server: the dialect chosen. */
  dialect?: string;
  /** SMB 3.1.1 compression capabilities context offering an algorithm (CVE-2020-0796 surface). */
  compression_offered?: boolean;
  compression_algorithms?: string[];
  encryption_ciphers?: string[];
  signing_algorithms?: string[];
  /** Client NETNAME context: the server name the client asked for. */
  netname?: string;
  /** SecurityMode signing bits. */
  signing_required?: boolean;
  packet: number;
  [k: string]: unknown;
}

/** NativeOS / NativeLanMan / domain of an SMB1 SESSION_SETUP_ANDX (request or response). */
export interface SmbNativeOsEvent {
  type: 'smb.native_os';
  side: 'client' | 'server';
  host: string;
  os?: string;
  lanman?: string;
  domain?: string;
  /** Client, pre-NTLMSSP session setup only: the account name. */
  account?: string;
  packet: number;
  [k: string]: unknown;
}

/** A successful tree connect: smb_mapping.log. */
export interface SmbTreeConnectEvent {
  type: 'smb.tree_connect';
  tsSec: number;
  tsNsec: number;
  packet: number;
  path: string;
  service?: string;
  native_file_system?: string;
  share_type?: string;
  [k: string]: unknown;
}

/** A file opened, read, written, renamed or deleted: smb_files.log. */
export interface SmbFileEvent {
  type: 'smb.file';
  tsSec: number;
  tsNsec: number;
  packet: number;
  action: SmbFileAction;
  /** FILE_RENAME: the name before (Zeek's prev_name); `name` is the new one. */
  prev_name?: string;
  /** The file's files.log id, on the line logged when its first bytes were read or written. */
  fuid?: string;
  path?: string;
  name: string;
  size: number;
  created?: number;
  accessed?: number;
  modified?: number;
  changed?: number;
  [k: string]: unknown;
}

export type SmbFileAction = 'SMB::FILE_OPEN' | 'SMB::FILE_READ' | 'SMB::FILE_WRITE' | 'SMB::FILE_RENAME' | 'SMB::FILE_DELETE';

/** NBSS session request on 139: the NetBIOS names of both ends. */
export interface SmbNetbiosSessionEvent {
  type: 'smb.netbios_session';
  called: string;
  called_suffix: number;
  calling: string;
  calling_suffix: number;
  packet: number;
  [k: string]: unknown;
}

/** First SMB3 transform (encrypted) or compression transform header on the connection. */
export interface SmbTransformEvent {
  type: 'smb.encrypted' | 'smb.compressed';
  packet: number;
  [k: string]: unknown;
}
