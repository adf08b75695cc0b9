// Typed events of the ONC RPC analyzer.

/** One RPC program on one flow, reported at the flow's end (rpc.log). */
export interface RpcProgramRecord {
  type: 'rpc.program';
  /** The flow's first message of the program. */
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** portmapper, nfs, mount, nlockmgr … or the number. */
  program: string;
  program_number: number;
  /** The originator made the calls (the usual case; a server's callback is the reverse). */
  client_is_orig: boolean;
  versions: number[];
  calls: number;
  replies: number;
  /** Procedure names in first-seen order (NFSv4: COMPOUND and each compound's first operation). */
  procedures: string[];
  /** Credential flavors of the calls: none, sys (AUTH_SYS: the client asserts its uid), gss (Kerberos) … */
  auth: string[];
  /** RPCSEC_GSS service of the first GSS call: none, integrity, privacy. */
  gss_service?: string;
  /** AUTH_SYS: the machine name the client gives itself, and its uid and gid. */
  machine_name?: string;
  auth_uid?: number;
  auth_gid?: number;
  /** MOUNT: directories asked for, the exports an EXPORT call listed, the flavors a v3 server accepts. */
  mount_paths: string[];
  exports: string[];
  server_flavors?: string[];
  /** Portmapper lookups: "nfs v3 -> 2049". */
  portmap: string[];
  /** NFSv4 minor version and the client's owner string (SETCLIENTID / EXCHANGE_ID). */
  nfs4_minor?: number;
  client_owner?: string;
  /** Refusals: RPC-level (PROG_UNAVAIL, AUTH_TOOWEAK …) and NFS/MOUNT statuses (ACCES, NOENT …). */
  errors: string[];
  [k: string]: unknown;
}
