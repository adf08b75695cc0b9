// DRDA (Distributed Relational Database Architecture, Open Group C114/C115), the wire protocol of
// IBM Db2 (LUW, z/OS, i) and Apache Derby's network server. A stream of DSS frames: length (2,
// big-endian, including the 6-byte header), magic 0xD0, format (chained, continued, same
// correlation, DSS type: 1 request, 2 reply, 3 object), correlation id (2). A DSS carries a DDM
// object: length (2), code point (2), then parameters, each length (2), code point (2), data.
// Character fields are EBCDIC (CCSID 500/037) and padded with blanks. Pure functions.

export const DSS_HEADER = 6;
export const DSS_MAGIC = 0xd0;
/** Longest DSS read whole (a DSS is at most 32,767 bytes; a larger object continues in the next). */
export const MAX_DSS = 0x7fff;

// Commands and replies (DDM code points).
export const EXCSAT = 0x1041;
export const EXCSATRD = 0x1443;
export const ACCSEC = 0x106d;
export const ACCSECRD = 0x14ac;
export const SECCHK = 0x106e;
export const SECCHKRM = 0x1219;
export const ACCRDB = 0x2001;
export const ACCRDBRM = 0x2201;
// Parameters.
export const EXTNAM = 0x115e;
export const SRVNAM = 0x116d;
export const SRVRLSLV = 0x115a;
export const SRVCLSNM = 0x1147;
export const SECMEC = 0x11a2;
export const RDBNAM = 0x2110;
export const USRID = 0x11a0;
export const PASSWORD = 0x11a1;
export const NEWPASSWORD = 0x11de;
export const SECCHKCD = 0x11a4;
export const SVRCOD = 0x1149;
export const PRDID = 0x112e;
export const TYPDEFNAM = 0x002f;

/** Names of the commands and replies a session log lists. */
export const CODE_POINTS: Record<number, string> = {
  [EXCSAT]: 'EXCSAT',
  [EXCSATRD]: 'EXCSATRD',
  [ACCSEC]: 'ACCSEC',
  [ACCSECRD]: 'ACCSECRD',
  [SECCHK]: 'SECCHK',
  [SECCHKRM]: 'SECCHKRM',
  [ACCRDB]: 'ACCRDB',
  [ACCRDBRM]: 'ACCRDBRM',
  0x200d: 'PRPSQLSTT',
  0x200a: 'EXCSQLIMM',
  0x200b: 'EXCSQLSTT',
  0x200c: 'OPNQRY',
  0x2006: 'CNTQRY',
  0x2005: 'CLSQRY',
  0x200e: 'RDBCMM',
  0x200f: 'RDBRLLBCK',
  0x2014: 'EXCSQLSET',
  0x2010: 'DSCSQLSTT',
  0x2408: 'SQLCARD',
  0x2411: 'SQLDARD',
  0x241b: 'QRYDTA',
  0x241a: 'QRYDSC',
  0x2205: 'OPNQRYRM',
  0x220b: 'ENDQRYRM',
  0x2218: 'RDBUPDRM',
  0x220c: 'ENDUOWRM',
  0x2414: 'SQLSTT',
  0x2450: 'SQLATTR',
  0x1250: 'CMDCHKRM',
  0x1254: 'CMDNSPRM',
  0x1245: 'PRCCNVRM',
  0x124c: 'SYNTAXRM',
  0x1232: 'AGNPRMRM',
  0x2204: 'RDBNACRM',
  0x2211: 'RDBNFNRM',
  0x2207: 'RDBAFLRM',
};

/** SQL-carrying code points: counted, never logged (statements and their literals may hold patient data). */
export const SQL_CODE_POINTS = new Set([0x200d, 0x200a, 0x200b, 0x2414]);

/** Security mechanisms (DDM SECMEC values). */
export const SECMECS: Record<number, string> = {
  1: 'DCESEC',
  3: 'USRIDPWD',
  4: 'USRIDONL',
  5: 'USRIDNWPWD',
  6: 'USRSBSPWD',
  7: 'USRENCPWD',
  8: 'USRSSBPWD',
  9: 'EUSRIDPWD',
  10: 'EUSRIDNWPWD',
  11: 'KERSEC',
  12: 'EUSRIDDTA',
  13: 'EUSRPWDDTA',
  14: 'EUSRNWPWDDTA',
  15: 'PLGIN',
};

/** SECCHKCD: 0 the security check passed; the rest say why not. */
export const SECCHK_CODES: Record<number, string> = {
  0x00: 'accepted',
  0x01: 'security mechanism not supported',
  0x0e: 'password expired',
  0x0f: 'password invalid',
  0x10: 'password missing',
  0x12: 'user id missing',
  0x13: 'user id invalid',
  0x14: 'user id revoked',
  0x15: 'new password invalid',
  0x0a: 'local security service non-retryable error',
  0x0b: 'new password expired',
  0x0d: 'security violation',
};

/** EBCDIC (CCSID 037/500: the characters DRDA's names use) → text; other bytes become '?'. */
const EBCDIC = ((): string[] => {
  const t = new Array<string>(256).fill('?');
  t[0x40] = ' ';
  const set = (from: number, chars: string): void => {
    for (let i = 0; i < chars.length; i++) t[from + i] = chars[i];
  };
  set(0x81, 'abcdefghi');
  set(0x91, 'jklmnopqr');
  set(0xa2, 'stuvwxyz');
  set(0xc1, 'ABCDEFGHI');
  set(0xd1, 'JKLMNOPQR');
  set(0xe2, 'STUVWXYZ');
  set(0xf0, '0123456789');
  set(0x4b, '.<(+|');
  set(0x50, '&');
  set(0x5a, '!$*);');
  set(0x60, '-/');
  set(0x6b, ',%_>?');
  set(0x79, '`:#@\'="');
  t[0xa1] = '~';
  t[0xc0] = '{';
  t[0xd0] = '}';
  t[0xe0] = '\\';
  return t;
})();

/** `len` EBCDIC bytes at `off`, blank padding trimmed, at most `max` characters. */
export function ebcdic(b: Uint8Array, off: number, len: number, max = 255): string {
  let s = '';
  const n = Math.min(len, max);
  for (let i = 0; i < n; i++) s += EBCDIC[b[off + i]];
  return s.trimEnd();
}

/**
 * A character parameter as sent: EBCDIC, or UTF-8 once the connection has agreed on Unicode
 * (UNICODEMGR 1208; Apache Derby's client sends SECCHK's and ACCRDB's names so). EBCDIC letters
 * and digits are all 0x81 and above, ASCII's all below 0x80: a field with no byte of 0x80 or
 * more (and not only EBCDIC blanks, 0x40) is UTF-8 text.
 */
export function charParam(b: Uint8Array, off: number, len: number, max = 255): string {
  const n = Math.min(len, max);
  let high = false;
  let blanks = true;
  for (let i = 0; i < n; i++) {
    const c = b[off + i];
    if (c >= 0x80) high = true;
    if (c !== 0x40) blanks = false;
  }
  if (high || blanks) return ebcdic(b, off, len, max);
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = b[off + i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s.trimEnd();
}

export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

/** The DSS at `off`: its length and whether the header is well-formed; null when not a DSS. */
export function dssLength(b: Uint8Array, off: number, avail: number): number | null {
  if (avail < 3) return avail > 0 && avail < 3 ? -1 : null;
  const len = u16(b, off);
  if (b[off + 2] !== DSS_MAGIC || len < DSS_HEADER + 4 || len > MAX_DSS) return null;
  return len;
}

/** One parameter of a DDM object. */
export interface Param {
  cp: number;
  off: number;
  len: number;
}

/** The parameters of the DDM object in a DSS (`off` at the DSS, `len` its length); bounded to 64. */
export function params(b: Uint8Array, off: number, len: number): { cp: number; list: Param[] } | null {
  if (len < DSS_HEADER + 4) return null;
  const ddmLen = u16(b, off + DSS_HEADER);
  const cp = u16(b, off + DSS_HEADER + 2);
  // An extended-length object (large data) is not read for parameters.
  if (ddmLen >= 0x8000) return { cp, list: [] };
  const end = off + Math.min(len, DSS_HEADER + ddmLen);
  const list: Param[] = [];
  let p = off + DSS_HEADER + 4;
  while (p + 4 <= end && list.length < 64) {
    const pl = u16(b, p);
    if (pl < 4 || p + pl > end) break;
    list.push({ cp: u16(b, p + 2), off: p + 4, len: pl - 4 });
    p += pl;
  }
  return { cp, list };
}

/**
 * The product a PRDID or SRVRLSLV names ("pppvvrrm"): SQL Db2 for Linux, UNIX and Windows, DSN
 * Db2 for z/OS, QSQ Db2 for i, JCC IBM Data Server Driver for JDBC and SQLJ, CSS Apache Derby's
 * network server, DNC Derby's network client. Derby follows it with its full version
 * ("CSS10140/10.14.2.0 - (1828579)"), which the product name does not need.
 */
export function productName(id: string): string | null {
  const m = /^([A-Z]{3})(\d{2})(\d{2})(\d)(?=$|\/)/.exec(id);
  if (m === null) return null;
  const names: Record<string, string> = { SQL: 'IBM Db2 for LUW', DSN: 'IBM Db2 for z/OS', QSQ: 'IBM Db2 for i', JCC: 'IBM Data Server Driver for JDBC', CSS: 'Apache Derby', DNC: 'Apache Derby Network Client' };
  const name = names[m[1]];
  if (name === undefined) return null;
  const full = /^\/(\d+(?:\.\d+){1,3})\b/.exec(id.slice(8));
  return `${name} ${full !== null ? full[1] : `${Number(m[2])}.${Number(m[3])}.${Number(m[4])}`}`;
}

/**
 * The database a RDBNAM names. Apache Derby's client sends the URL's attributes after the name
 * (";create=true", and ";bootPassword=…" for an encrypted database): only the name is kept.
 */
export function databaseName(rdbnam: string): string {
  const i = rdbnam.indexOf(';');
  return (i < 0 ? rdbnam : rdbnam.slice(0, i)).trim();
}
