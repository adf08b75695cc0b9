// FTP control connection, pure functions (RFC 959 §4.1 commands, §4.2 replies incl. multi-line
// replies, §4.1.2 PORT/PASV host-port; RFC 2428 EPRT/EPSV; RFC 4217 AUTH TLS). Paths in log
// arguments follow Zeek's build_url_ftp (cwd + argument, compressed).

/** Longest command or reply line kept (Zeek's max_arg_length is 4096). */
export const MAX_LINE = 8192;

export interface FtpCommand {
  cmd: string;
  arg: string;
}

/** A command line: a 3-or-4-letter verb (extensions use up to 8), a space, an argument. */
export function parseCommand(line: string): FtpCommand | null {
  const m = /^([A-Za-z]{3,8})(?:[ \t](.*))?$/.exec(line);
  if (m === null) return null;
  return { cmd: m[1].toUpperCase(), arg: (m[2] ?? '').trim() };
}

export interface FtpReplyLine {
  /** 0 for a line inside a multi-line reply that carries no code. */
  code: number;
  /** '-' opens a multi-line reply; ' ' (or end of line) is a last line. */
  sep: string;
  text: string;
}

export function parseReplyLine(line: string): FtpReplyLine {
  const m = /^([1-5]\d\d)([ -]|$)(.*)$/.exec(line);
  if (m === null) return { code: 0, sep: '', text: line };
  return { code: Number(m[1]), sep: m[2] === '' ? ' ' : m[2], text: m[3] };
}

export interface HostPort {
  host: string;
  port: number;
}

const MAX_PORT = 65535;

function hostPort(n: string[]): HostPort | null {
  const v = n.map(Number);
  if (v.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return null;
  const port = v[4] * 256 + v[5];
  if (port === 0) return null;
  return { host: `${v[0]}.${v[1]}.${v[2]}.${v[3]}`, port };
}

/** PORT h1,h2,h3,h4,p1,p2 (RFC 959 §4.1.2). */
export function parsePortArg(arg: string): HostPort | null {
  const m = /^\s*(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})\s*$/.exec(arg);
  return m === null ? null : hostPort(m.slice(1, 7));
}

/** 227 reply text: the six numbers may stand anywhere, with or without parentheses. */
export function parsePasvReply(text: string): HostPort | null {
  const m = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(text);
  return m === null ? null : hostPort(m.slice(1, 7));
}

/** EPRT |af|address|port| with any delimiter character (RFC 2428 §2). */
export function parseEprtArg(arg: string): HostPort | null {
  const a = arg.trim();
  if (a.length < 7) return null;
  const d = a[0];
  const parts = a.split(d);
  // ['', af, address, port, '']
  if (parts.length !== 5 || parts[0] !== '' || parts[4] !== '') return null;
  const af = parts[1];
  const port = Number(parts[3]);
  if (!/^\d{1,5}$/.test(parts[3]) || port === 0 || port > MAX_PORT) return null;
  if (af === '1' && /^\d{1,3}(\.\d{1,3}){3}$/.test(parts[2])) return { host: parts[2], port };
  if (af === '2' && /^[0-9A-Fa-f:.]{2,45}$/.test(parts[2]) && parts[2].includes(':')) return { host: parts[2].toLowerCase(), port };
  return null;
}

/** 229 reply text "(|||port|)" (RFC 2428 §3): the port only; the host is the server. */
export function parseEpsvReply(text: string): number | null {
  const m = /\((.)\1\1(\d{1,5})\1\)/.exec(text);
  if (m === null) return null;
  const port = Number(m[2]);
  return port > 0 && port <= MAX_PORT ? port : null;
}

/** The last decimal number in a reply ("… (77 bytes)"), as Zeek's extract_count(msg, F). */
export function lastCount(text: string): number | null {
  const all = text.match(/\d+/g);
  if (all === null) return null;
  const n = Number(all[all.length - 1]);
  return Number.isSafeInteger(n) ? n : null;
}

/** A 257 reply's directory: the quoted path (RFC 959 §5.4 note), else the first absolute path. */
export function extractPath(text: string): string | null {
  const q = /"((?:\/|[A-Za-z]:[\\/])(?:[^"]|"")*)"/.exec(text);
  if (q !== null) return q[1].replace(/""/g, '"');
  const p = /(?:\/|[A-Za-z]:[\\/])(?:[^" ]|\\ )*/.exec(text);
  return p === null ? null : p[0];
}

/** Joins a directory and a name as Zeek's build_path, then compresses "x/../" and "/./". */
export function buildPath(dir: string, name: string): string {
  const abs = /^(\/|[A-Za-z]:[\\/])/.test(name);
  const joined = abs || dir === '' ? name : dir + (dir.endsWith('/') ? '' : '/') + name;
  return compressPath(joined);
}

/** Removes "/./" and "dir/../" segments and doubled slashes; a leading "./" or "../" stays. */
export function compressPath(p: string): string {
  const lead = p.startsWith('/') ? '/' : '';
  const out: string[] = [];
  const segs = p.split('/');
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (s === '' && i > 0 && i < segs.length - 1) continue;
    if (s === '.' && out.length > 0) continue;
    if (s === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '.' && out[out.length - 1] !== '') {
      out.pop();
      continue;
    }
    out.push(s);
  }
  const j = out.join('/');
  return lead !== '' && !j.startsWith('/') ? lead + j : j;
}

/** ftp://host/path for a file command's argument (Zeek's build_url_ftp). */
export function ftpUrl(respHost: string, cwd: string, arg: string): string {
  let p = buildPath(cwd, arg);
  if (!p.startsWith('/')) p = '/' + p;
  const h = respHost.includes(':') ? `[${respHost}]` : respHost;
  return `ftp://${h}${p}`;
}

/** Commands whose argument names a file or directory (Zeek's file_cmds). */
export const FILE_COMMANDS = new Set(['APPE', 'CWD', 'DELE', 'MKD', 'RETR', 'RMD', 'RNFR', 'RNTO', 'STOR', 'STOU', 'REST', 'SIZE', 'MDTM']);

/** Every command RFC 959, 2228, 2389, 2428, 3659 and 4217 define, for the probe. */
export const KNOWN_COMMANDS = new Set([
  'USER', 'PASS', 'ACCT', 'CWD', 'CDUP', 'SMNT', 'REIN', 'QUIT', 'PORT', 'PASV', 'TYPE', 'STRU', 'MODE',
  'RETR', 'STOR', 'STOU', 'APPE', 'ALLO', 'REST', 'RNFR', 'RNTO', 'ABOR', 'DELE', 'RMD', 'MKD', 'PWD',
  'LIST', 'NLST', 'SITE', 'SYST', 'STAT', 'HELP', 'NOOP', 'AUTH', 'ADAT', 'PROT', 'PBSZ', 'CCC', 'MIC',
  'CONF', 'ENC', 'FEAT', 'OPTS', 'EPRT', 'EPSV', 'MDTM', 'SIZE', 'MLST', 'MLSD', 'XPWD', 'XCWD', 'XMKD',
  'XRMD', 'CLNT', 'LANG', 'HOST',
]);
