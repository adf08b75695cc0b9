// Line Printer Daemon protocol (RFC 1179), as BSD lpd, LPRng, CUPS' cups-lpd, Windows' LPD
// service and printers' own servers (HP JetDirect and most network printers) speak it on TCP
// 515. A client opens with one daemon command: a code octet (1–5), operands, LF (§5). "Receive a
// printer job" (2) is then followed by subcommands (§6): 1 abort, 2 "count SP name LF" and the
// control file's count octets and a NUL, 3 the same for a data file; the server answers each
// command and subcommand with one octet, 0 for yes. The control file (§7) is lines of a command
// letter and an operand: H host, P user, J job name, C class, L banner user, T title, N source
// file name, M mail-to, and lower-case letters naming a data file to print in a format. Job
// names, titles and source file names are never read: a document's name is often its patient's
// (as with IPP, whose job names wardline does not log either).
import { escapeBytes } from '../l2text.js';

export const LPD_PORT = 515;
/** Longest daemon command or subcommand line read (queue names and job lists are short). */
export const MAX_LINE = 1024;
/** Control file bytes read (a control file is a few hundred bytes; the rest is counted only). */
export const MAX_CONTROL = 16 * 1024;
/** Operands kept per control-file letter, and files per job. */
const MAX_VALUES = 16;
const MAX_VALUE = 256;

export const COMMANDS: Record<number, string> = {
  1: 'print_waiting',
  2: 'receive_job',
  3: 'queue_state_short',
  4: 'queue_state_long',
  5: 'remove_jobs',
};

export const SUB_ABORT = 1;
export const SUB_CONTROL = 2;
export const SUB_DATA = 3;

/** Print formats of the lower-case control-file letters (§7.2–7.27). */
export const FORMATS: Record<string, string> = {
  c: 'cif',
  d: 'dvi',
  f: 'text',
  g: 'plot',
  k: 'kerberized',
  l: 'literal',
  n: 'ditroff',
  o: 'postscript',
  p: 'pr',
  r: 'fortran',
  t: 'troff',
  v: 'raster',
};

export interface DaemonCommand {
  code: number;
  command: string;
  queue: string;
  /** Operands after the queue (user names or job numbers; for remove, the agent first). */
  operands: string[];
}

function isOperandByte(b: number): boolean {
  // RFC 1179 operands are printable ASCII; LPRng and Windows allow more in queue names, but never controls.
  return b > 0x20 && b < 0x7f;
}

/** A daemon command line (without its LF), or null when it is not one. */
export function parseDaemonCommand(b: Uint8Array, off: number, end: number): DaemonCommand | null {
  if (end - off < 2) return null;
  const code = b[off];
  const command = COMMANDS[code];
  if (command === undefined) return null;
  const words: string[] = [];
  let start = -1;
  for (let i = off + 1; i <= end; i++) {
    const c = i < end ? b[i] : 0x20;
    if (c === 0x20 || c === 0x09) {
      if (start >= 0) {
        if (words.length < MAX_VALUES + 1) words.push(escapeBytes(b, start, Math.min(i, start + MAX_VALUE)));
        start = -1;
      }
    } else if (!isOperandByte(c)) return null;
    else if (start < 0) start = i;
  }
  if (words.length === 0) return null;
  return { code, command, queue: words[0], operands: words.slice(1) };
}

export interface FileCommand {
  /** 2 control file, 3 data file. */
  code: number;
  count: number;
  name: string;
}

/** A receive-job subcommand "2count SP name" or "3count SP name" (without its LF). */
export function parseFileCommand(b: Uint8Array, off: number, end: number): FileCommand | null {
  const code = b[off];
  if (code !== SUB_CONTROL && code !== SUB_DATA) return null;
  let p = off + 1;
  let count = 0;
  let digits = 0;
  for (; p < end && b[p] >= 0x30 && b[p] <= 0x39; p++) {
    if (++digits > 12) return null;
    count = count * 10 + (b[p] - 0x30);
  }
  if (digits === 0 || p >= end || b[p] !== 0x20) return null;
  p++;
  if (p >= end) return null;
  for (let i = p; i < end; i++) if (!isOperandByte(b[i])) return null;
  return { code, count, name: escapeBytes(b, p, Math.min(end, p + MAX_VALUE)) };
}

/** What a job's control file says (RFC 1179 §7; LPRng adds A job id, D date and Q queue). */
export interface ControlFile {
  host?: string;
  user?: string;
  class?: string;
  banner_user?: string;
  mail_to?: string;
  /** The job had a name, a title or source file names (J, T, N lines; their values are not read). */
  named: boolean;
  /** Formats of the files to print, one per print line (text, literal, postscript …). */
  formats: string[];
  /** Data files named by print lines. */
  data_files: string[];
}

/** Reads a control file's lines; unknown letters are skipped. */
export function parseControlFile(b: Uint8Array, off: number, end: number): ControlFile {
  const cf: ControlFile = { named: false, formats: [], data_files: [] };
  let p = off;
  while (p < end) {
    let q = p;
    while (q < end && b[q] !== 0x0a && b[q] !== 0) q++;
    if (q > p) line(cf, b, p, q);
    if (q < end && b[q] === 0) break;
    p = q + 1;
  }
  return cf;
}

function line(cf: ControlFile, b: Uint8Array, p: number, q: number): void {
  const letter = String.fromCharCode(b[p]);
  if (letter === 'J' || letter === 'T' || letter === 'N') {
    if (q > p + 1) cf.named = true;
    return;
  }
  const v = escapeBytes(b, p + 1, Math.min(q, p + 1 + MAX_VALUE));
  switch (letter) {
    case 'H':
      cf.host ??= v;
      return;
    case 'P':
      cf.user ??= v;
      return;
    case 'C':
      cf.class ??= v;
      return;
    case 'L':
      cf.banner_user ??= v;
      return;
    case 'M':
      cf.mail_to ??= v;
      return;
    default: {
      const format = FORMATS[letter];
      if (format === undefined || v === '') return;
      if (cf.formats.length < MAX_VALUES && !cf.formats.includes(format)) cf.formats.push(format);
      if (cf.data_files.length < MAX_VALUES && !cf.data_files.includes(v)) cf.data_files.push(v);
    }
  }
}
