// ONC RPC (RFC 5531) messages and the parts of the programs on top that identify hosts and expose
// file shares: the portmapper/rpcbind (RFC 1833), MOUNT (RFC 1813 Appendix I, RFC 1094 §A) and
// NFS v2, v3 and v4 (RFC 1094, RFC 1813, RFC 7530/8881). Pure: XDR bytes → fields, nothing kept.
// File names (LOOKUP, CREATE, OPEN arguments) are never read: on a clinical share they can be
// patients' names.

/** RPC's version in every call (RFC 5531 §9). */
export const RPC_VERSION = 2;
export const MSG_CALL = 0;
export const MSG_REPLY = 1;
export const PORTMAP_PORT = 111;
export const NFS_PORT = 2049;

export const PROG_PORTMAP = 100000;
export const PROG_NFS = 100003;
export const PROG_MOUNT = 100005;

/** Programs and their conn.log service names (Zeek's for portmapper, nfs and mount). */
export const PROGRAMS: Readonly<Record<number, string>> = {
  100000: 'portmapper',
  100001: 'rstatd',
  100002: 'rusersd',
  100003: 'nfs',
  100004: 'ypserv',
  100005: 'mount',
  100007: 'ypbind',
  100011: 'rquotad',
  100021: 'nlockmgr',
  100024: 'status',
  100227: 'nfs_acl',
  100249: 'sgi_fam',
};

/** Credential flavors (RFC 5531 §8.2, RFC 2203). */
export const AUTH_NONE = 0;
export const AUTH_SYS = 1;
export const RPCSEC_GSS = 6;
export const AUTH_FLAVORS: Readonly<Record<number, string>> = { 0: 'none', 1: 'sys', 2: 'short', 3: 'dh', 6: 'gss', 390003: 'krb5', 390004: 'krb5i', 390005: 'krb5p' };
/** RPCSEC_GSS services (RFC 2203 §5): what the GSS context protects. */
const GSS_SERVICES: Readonly<Record<number, string>> = { 1: 'none', 2: 'integrity', 3: 'privacy' };
/** Credentials and verifiers are at most 400 bytes (RFC 5531 §8.2). */
const MAX_AUTH_BODY = 400;
/** AUTH_SYS machine names are at most 255 bytes (RFC 5531 Appendix A). */
const MAX_MACHINE_NAME = 255;

export interface RpcCall {
  xid: number;
  prog: number;
  vers: number;
  proc: number;
  flavor: number;
  /** AUTH_SYS: the client's own name for itself, its user and group ids. */
  machineName?: string;
  uid?: number;
  gid?: number;
  /** RPCSEC_GSS: none, integrity or privacy. */
  gssService?: string;
  /** Offset of the procedure's arguments. */
  argsOff: number;
}

export interface RpcReply {
  xid: number;
  /** 0 accepted, 1 denied. */
  replyStat: number;
  /** Accepted: 0 SUCCESS … 5 SYSTEM_ERR; denied: 0 RPC_MISMATCH, 1 AUTH_ERROR. */
  stat: number;
  /** AUTH_ERROR's reason (RFC 5531 §9: 1 AUTH_BADCRED … 7 RPCSEC_GSS_CTXPROBLEM). */
  authStat?: number;
  /** Offset of the procedure's results (SUCCESS only). */
  resOff: number;
}

const u32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** Reads an opaque_auth (flavor, length, body) at `o`; returns the offset after it, or -1. */
function skipAuth(b: Uint8Array, o: number, end: number): number {
  if (o + 8 > end) return -1;
  const n = u32(b, o + 4);
  if (n > MAX_AUTH_BODY) return -1;
  const next = o + 8 + ((n + 3) & ~3);
  return next <= end ? next : -1;
}

/** A call's header with its credential, or null when the bytes are not an RPC v2 call. */
export function parseCall(b: Uint8Array, off: number, len: number): RpcCall | null {
  const end = off + len;
  if (len < 40 || u32(b, off + 4) !== MSG_CALL || u32(b, off + 8) !== RPC_VERSION) return null;
  const credOff = off + 24;
  const afterCred = skipAuth(b, credOff, end);
  if (afterCred < 0) return null;
  const argsOff = skipAuth(b, afterCred, end);
  if (argsOff < 0) return null;
  const c: RpcCall = { xid: u32(b, off), prog: u32(b, off + 12), vers: u32(b, off + 16), proc: u32(b, off + 20), flavor: u32(b, credOff), argsOff };
  const body = credOff + 8;
  const bodyLen = u32(b, credOff + 4);
  if (c.flavor === AUTH_SYS && bodyLen >= 20) {
    // stamp, machinename<255>, uid, gid, gids<16>
    const s = readString(b, body + 4, body + bodyLen, MAX_MACHINE_NAME);
    if (s !== null) {
      c.machineName = s.value;
      if (s.next + 8 <= body + bodyLen) {
        c.uid = u32(b, s.next);
        c.gid = u32(b, s.next + 4);
      }
    }
  } else if (c.flavor === RPCSEC_GSS && bodyLen >= 16) {
    // version, gss_proc, seq_num, service, handle
    c.gssService = GSS_SERVICES[u32(b, body + 12)] ?? String(u32(b, body + 12));
  }
  return c;
}

/** A reply's header, or null when the bytes are not an RPC reply. */
export function parseReply(b: Uint8Array, off: number, len: number): RpcReply | null {
  const end = off + len;
  if (len < 12 || u32(b, off + 4) !== MSG_REPLY) return null;
  const replyStat = u32(b, off + 8);
  if (replyStat === 0) {
    const afterVerf = skipAuth(b, off + 12, end);
    if (afterVerf < 0 || afterVerf + 4 > end) return null;
    const stat = u32(b, afterVerf);
    if (stat > 5) return null;
    return { xid: u32(b, off), replyStat, stat, resOff: afterVerf + 4 };
  }
  if (replyStat === 1 && len >= 16) {
    const stat = u32(b, off + 12);
    if (stat > 1) return null;
    const r: RpcReply = { xid: u32(b, off), replyStat, stat, resOff: end };
    if (stat === 1 && len >= 20) r.authStat = u32(b, off + 16);
    return r;
  }
  return null;
}

/** An XDR string (length, bytes, padding) of printable text, at most `max` bytes; null otherwise. */
export function readString(b: Uint8Array, o: number, end: number, max: number): { value: string; next: number } | null {
  if (o + 4 > end) return null;
  const n = u32(b, o);
  if (n > max || o + 4 + n > end) return null;
  let s = '';
  for (let i = 0; i < n; i++) {
    const ch = b[o + 4 + i];
    if (ch < 0x20 || ch > 0x7e) return null;
    s += String.fromCharCode(ch);
  }
  return { value: s, next: o + 4 + ((n + 3) & ~3) };
}

export { u32 };

/** Procedure names per program and version (RFC 1094 §2.2, RFC 1813 §3, RFC 7530 §16, RFC 1833). */
const NFS2 = ['NULL', 'GETATTR', 'SETATTR', 'ROOT', 'LOOKUP', 'READLINK', 'READ', 'WRITECACHE', 'WRITE', 'CREATE', 'REMOVE', 'RENAME', 'LINK', 'SYMLINK', 'MKDIR', 'RMDIR', 'READDIR', 'STATFS'];
const NFS3 = ['NULL', 'GETATTR', 'SETATTR', 'LOOKUP', 'ACCESS', 'READLINK', 'READ', 'WRITE', 'CREATE', 'MKDIR', 'SYMLINK', 'MKNOD', 'REMOVE', 'RMDIR', 'RENAME', 'LINK', 'READDIR', 'READDIRPLUS', 'FSSTAT', 'FSINFO', 'PATHCONF', 'COMMIT'];
const NFS4 = ['NULL', 'COMPOUND'];
const MOUNT = ['NULL', 'MNT', 'DUMP', 'UMNT', 'UMNTALL', 'EXPORT', 'EXPORTALL', 'PATHCONF'];
const PORTMAP2 = ['NULL', 'SET', 'UNSET', 'GETPORT', 'DUMP', 'CALLIT'];
const RPCBIND = ['NULL', 'SET', 'UNSET', 'GETADDR', 'DUMP', 'CALLIT', 'GETTIME', 'UADDR2TADDR', 'TADDR2UADDR', 'GETVERSADDR', 'INDIRECT', 'GETADDRLIST', 'GETSTAT'];

export function procedureName(prog: number, vers: number, proc: number): string {
  let t: string[] | undefined;
  if (prog === PROG_NFS) t = vers === 2 ? NFS2 : vers === 3 ? NFS3 : vers === 4 ? NFS4 : undefined;
  else if (prog === PROG_MOUNT) t = MOUNT;
  else if (prog === PROG_PORTMAP) t = vers === 2 ? PORTMAP2 : RPCBIND;
  return t?.[proc] ?? String(proc);
}

/** NFSv4 operations (RFC 7530 §16, RFC 8881 §18, RFC 7862 §15), by number from 3. */
const NFS4_OPS = ['ACCESS', 'CLOSE', 'COMMIT', 'CREATE', 'DELEGPURGE', 'DELEGRETURN', 'GETATTR', 'GETFH', 'LINK', 'LOCK', 'LOCKT', 'LOCKU', 'LOOKUP', 'LOOKUPP', 'NVERIFY', 'OPEN', 'OPENATTR', 'OPEN_CONFIRM', 'OPEN_DOWNGRADE', 'PUTFH', 'PUTPUBFH', 'PUTROOTFH', 'READ', 'READDIR', 'READLINK', 'REMOVE', 'RENAME', 'RENEW', 'RESTOREFH', 'SAVEFH', 'SECINFO', 'SETATTR', 'SETCLIENTID', 'SETCLIENTID_CONFIRM', 'VERIFY', 'WRITE', 'RELEASE_LOCKOWNER', 'BACKCHANNEL_CTL', 'BIND_CONN_TO_SESSION', 'EXCHANGE_ID', 'CREATE_SESSION', 'DESTROY_SESSION', 'FREE_STATEID', 'GET_DIR_DELEGATION', 'GETDEVICEINFO', 'GETDEVICELIST', 'LAYOUTCOMMIT', 'LAYOUTGET', 'LAYOUTRETURN', 'SECINFO_NO_NAME', 'SEQUENCE', 'SET_SSV', 'TEST_STATEID', 'WANT_DELEGATION', 'DESTROY_CLIENTID', 'RECLAIM_COMPLETE', 'ALLOCATE', 'COPY', 'COPY_NOTIFY', 'DEALLOCATE', 'IO_ADVISE', 'LAYOUTERROR', 'LAYOUTSTATS', 'OFFLOAD_CANCEL', 'OFFLOAD_STATUS', 'READ_PLUS', 'SEEK', 'WRITE_SAME', 'CLONE'];
const OP_SETCLIENTID = 35;
const OP_EXCHANGE_ID = 42;
const OP_SEQUENCE = 53;
/** SEQUENCE's arguments: session id (16), sequence id, slot id, highest slot id, cache this. */
const SEQUENCE_ARGS = 32;
const MAX_TAG = 64;
const MAX_OWNER = 1024;

export function nfs4OpName(op: number): string {
  return NFS4_OPS[op - 3] ?? String(op);
}

/** What an NFSv4 COMPOUND call says before its file names: minor version, operations, the client's owner string. */
export interface Compound {
  minor: number;
  ops: number;
  /** The first operation (after SEQUENCE in 4.1 and later). */
  first: string;
  /** SETCLIENTID's or EXCHANGE_ID's client id: Linux writes "Linux NFSv4.1 <hostname>". */
  owner?: string;
}

export function parseCompound(b: Uint8Array, o: number, end: number): Compound | null {
  if (o + 4 > end) return null;
  const tagLen = u32(b, o);
  if (tagLen > MAX_TAG) return null;
  let p = o + 4 + ((tagLen + 3) & ~3);
  if (p + 8 > end) return null;
  const minor = u32(b, p);
  const ops = u32(b, p + 4);
  p += 8;
  if (minor > 2 || ops === 0 || ops > 1024 || p + 4 > end) return null;
  let op = u32(b, p);
  if (op === OP_SEQUENCE && ops > 1 && p + 4 + SEQUENCE_ARGS + 4 <= end) {
    p += 4 + SEQUENCE_ARGS;
    op = u32(b, p);
  }
  const c: Compound = { minor, ops, first: nfs4OpName(op) };
  if (op === OP_SETCLIENTID || op === OP_EXCHANGE_ID) {
    // verifier (8), then the id as opaque<NFS4_OPAQUE_LIMIT>
    const q = p + 4 + 8;
    if (q + 4 <= end) {
      const n = u32(b, q);
      if (n <= MAX_OWNER && q + 4 + n <= end) {
        let s = '';
        for (let i = 0; i < n; i++) {
          const ch = b[q + 4 + i];
          s += ch >= 0x20 && ch <= 0x7e ? String.fromCharCode(ch) : '.';
        }
        c.owner = s;
      }
    }
  }
  return c;
}

/** Status names of NFS (v3's nfsstat3 and v4's nfsstat4 share the common values, RFC 1813 §2.6). */
const NFS_STATUS: Readonly<Record<number, string>> = {
  1: 'PERM', 2: 'NOENT', 5: 'IO', 6: 'NXIO', 13: 'ACCES', 17: 'EXIST', 18: 'XDEV', 19: 'NODEV', 20: 'NOTDIR', 21: 'ISDIR', 22: 'INVAL', 27: 'FBIG', 28: 'NOSPC', 30: 'ROFS', 31: 'MLINK', 63: 'NAMETOOLONG', 66: 'NOTEMPTY', 69: 'DQUOT', 70: 'STALE', 71: 'REMOTE', 10001: 'BADHANDLE', 10004: 'NOTSUPP', 10006: 'SERVERFAULT', 10008: 'DELAY', 10013: 'GRACE', 10016: 'WRONGSEC',
};

export function nfsStatusName(s: number): string {
  return NFS_STATUS[s] ?? String(s);
}

/** Reasons a server refuses a call (RFC 5531 §9: accept_stat, reject_stat, auth_stat). */
const ACCEPT_STAT = ['SUCCESS', 'PROG_UNAVAIL', 'PROG_MISMATCH', 'PROC_UNAVAIL', 'GARBAGE_ARGS', 'SYSTEM_ERR'];
const AUTH_STAT = ['AUTH_OK', 'AUTH_BADCRED', 'AUTH_REJECTEDCRED', 'AUTH_BADVERF', 'AUTH_REJECTEDVERF', 'AUTH_TOOWEAK', 'AUTH_INVALIDRESP', 'AUTH_FAILED', 'AUTH_KERB_GENERIC', 'AUTH_TIMEEXPIRE', 'AUTH_TKT_FILE', 'AUTH_DECODE', 'AUTH_NET_ADDR', 'RPCSEC_GSS_CREDPROBLEM', 'RPCSEC_GSS_CTXPROBLEM'];

export function replyError(r: RpcReply): string | null {
  if (r.replyStat === 0) return r.stat === 0 ? null : ACCEPT_STAT[r.stat];
  if (r.stat === 0) return 'RPC_MISMATCH';
  return AUTH_STAT[r.authStat ?? 0] ?? `AUTH_ERROR ${r.authStat}`;
}
