// The MS08-067 probes in srvsvc (MS-SRVS): NetprPathCanonicalize (opnum 31, §3.1.4.30) and
// NetprPathCompare (opnum 32, §3.1.4.31) with a path that climbs out of itself ("\AAAA\..\n"),
// which the unpatched server's canonicalisation overflows on (CVE-2008-4250: Conficker, Metasploit's
// ms08_067_netapi, nmap's smb-vuln-ms08-067 check). The request stubs start alike: a [unique]
// server name, then the [string] path (PathName, PathName1). The answer's last four octets are
// its WERROR. Pure: reads only [off, end).
import { Ndr } from './ndr.js';

export const SRVSVC_UUID = '4b324fc8-1670-01d3-1278-5a47bf6ee188';
export const OPNUM_PATH_CANONICALIZE = 31;
export const OPNUM_PATH_COMPARE = 32;
/** The exploit's path carries its shellcode: paths are read up to this many characters. */
const MAX_PATH_CHARS = 4096;
/** Characters of the path kept for the evidence. */
export const PATH_KEPT = 64;

/** The path of a NetprPathCanonicalize/NetprPathCompare request, or null when the stub cannot be read. */
export function parsePathRequest(buf: Uint8Array, off: number, end: number, ndr64: boolean): string | null {
  if (off < 0 || end > buf.length || off >= end) return null;
  const r = new Ndr(buf, off, end, ndr64);
  r.uniqueWstring(MAX_PATH_CHARS);
  r.align(4);
  const path = r.wstring(MAX_PATH_CHARS);
  return r.ok ? path : null;
}

/** A path that climbs above a component of its own: the overflow's trigger (`\..\`, also with forward slashes). */
export function climbs(path: string): boolean {
  return /[\\/]\.\.(?:[\\/]|$)/.test(path);
}

/** The WERROR an answer ends with, or null when the stub is shorter than one. */
export function parseWerror(buf: Uint8Array, off: number, end: number): number | null {
  if (end - off < 4 || end > buf.length) return null;
  const p = end - 4;
  return (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16)) + buf[p + 3] * 0x1000000;
}

/** WERROR values nmap's check reads (MS-ERREF §2.2): success, Conficker's own fix, the update's refusal. */
export const WERR_OK = 0;
export const WERR_INVALID_PARAMETER = 0x57;
export const WERR_INVALID_NAME = 0x7b;
