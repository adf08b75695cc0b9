// Raw printing on TCP 9100 ("JetDirect", AppSocket; IANA pdl-datastream): the client's stream is
// the print job itself, the server's the printer's back channel. What reads it:
// - PJL, HP's Printer Job Language (HP "PJL Technical Reference Manual"): "@PJL" command lines,
//   usually after a Universal Exit Language sequence (ESC %-12345X), that open jobs, set
//   options, switch the printer to a page description language (ENTER LANGUAGE=…), query it
//   (INFO ID, INFO STATUS, USTATUS) and reach its file system (FSDIRLIST, FSUPLOAD, FSDOWNLOAD…).
//   Answers come back as the echoed command line, lines of values and a form feed.
// - The page description language that follows: PCL, PCL XL, PostScript (its DSC header names
//   the creating application and the job's owner), PDF, or Zebra's ZPL (label formats ^XA…^XZ,
//   field data ^FD, host queries ~HI/~HS, answered in STX…ETX frames).
// Pure functions only: the analyzer keeps the state.

/** The raw ports: 9100 and the second and third ports of multi-port print servers. */
export const JETDIRECT_PORTS = [9100, 9101, 9102] as const;

/** ESC %-12345X: the Universal Exit Language sequence that brackets PJL. */
export const UEL = Uint8Array.from([0x1b, 0x25, 0x2d, 0x31, 0x32, 0x33, 0x34, 0x35, 0x58]);

export const MAX_LINE = 1024;

const ESC = 0x1b;

function upper(b: number): number {
  return b >= 0x61 && b <= 0x7a ? b - 0x20 : b;
}

/** True when `buf[off..]` holds `pat` (ASCII, case-insensitive when `fold`) before `end`. */
export function startsWith(buf: Uint8Array, off: number, end: number, pat: string, fold = false): boolean {
  if (end - off < pat.length) return false;
  for (let i = 0; i < pat.length; i++) {
    const b = buf[off + i];
    if ((fold ? upper(b) : b) !== pat.charCodeAt(i)) return false;
  }
  return true;
}

export function isUel(buf: Uint8Array, off: number, end: number): boolean {
  if (end - off < UEL.length) return false;
  for (let i = 0; i < UEL.length; i++) if (buf[off + i] !== UEL[i]) return false;
  return true;
}

/**
 * Where a PJL line's text starts once what may lead it is skipped: UEL sequences, PCL's printer
 * reset (ESC E, which drivers send before the first UEL) and white space.
 */
export function skipLead(buf: Uint8Array, off: number, end: number): number {
  let p = off;
  for (;;) {
    if (isUel(buf, p, end)) p += UEL.length;
    else if (p + 1 < end && buf[p] === ESC && buf[p + 1] === 0x45) p += 2;
    else if (p < end && (buf[p] === 0x20 || buf[p] === 0x09 || buf[p] === 0x0d || buf[p] === 0x0c)) p++;
    else return p;
  }
}

export function isPjl(buf: Uint8Array, off: number, end: number): boolean {
  if (!startsWith(buf, off, end, '@PJL', true)) return false;
  // "@PJL" alone (a no-op line) or followed by white space and a command.
  return off + 4 === end || buf[off + 4] === 0x20 || buf[off + 4] === 0x09 || buf[off + 4] === 0x0d || buf[off + 4] === 0x0a;
}

export interface PjlCommand {
  /** The command word in upper case (JOB, SET, ENTER, INFO, FSUPLOAD …); '' for a bare "@PJL". */
  verb: string;
  /** What follows it (latin1, trimmed). */
  rest: string;
}

/** Reads a PJL command line (`off` at "@PJL", `end` before its CR LF). */
export function parsePjl(buf: Uint8Array, off: number, end: number): PjlCommand {
  let p = off + 4;
  while (p < end && (buf[p] === 0x20 || buf[p] === 0x09)) p++;
  const v0 = p;
  while (p < end && ((upper(buf[p]) >= 0x41 && upper(buf[p]) <= 0x5a) || buf[p] === 0x5f)) p++;
  let verb = '';
  for (let i = v0; i < p; i++) verb += String.fromCharCode(upper(buf[i]));
  let e = end;
  while (e > p && (buf[e - 1] === 0x0d || buf[e - 1] === 0x20 || buf[e - 1] === 0x09)) e--;
  while (p < e && (buf[p] === 0x20 || buf[p] === 0x09)) p++;
  return { verb, rest: Buffer.from(buf.buffer, buf.byteOffset + p, e - p).toString('latin1') };
}

/**
 * A PJL option's value: KEY = value or KEY = "quoted value" (spaces around "=" allowed; keys
 * case-insensitive). Undefined when the option is absent.
 */
export function pjlOption(rest: string, key: string): string | undefined {
  const re = new RegExp(`(?:^|[\\s:])${key}\\s*=\\s*("([^"]*)"?|[^\\s"]*)`, 'i');
  const m = re.exec(rest);
  if (m === null) return undefined;
  return m[2] ?? m[1];
}

/** The first word of a command's operands (INFO's category, ENTER's LANGUAGE=… as a whole). */
export function firstWord(rest: string): string {
  const m = /^[A-Za-z_:]+/.exec(rest);
  return m === null ? '' : m[0].toUpperCase();
}

/** PJL's names of page description languages (ENTER LANGUAGE=…), as wardline logs them. */
const PJL_LANGUAGES: Record<string, string> = {
  PCL: 'pcl',
  PCLXL: 'pclxl',
  POSTSCRIPT: 'postscript',
  PDF: 'pdf',
  ZPL: 'zpl',
  XPS: 'xps',
  ESCP: 'escp',
  ESCPAGE: 'escpage',
  PRESCRIBE: 'prescribe',
  PCL3GUI: 'pcl3gui',
};

export function pjlLanguage(name: string): string {
  const n = name.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  return PJL_LANGUAGES[n] ?? (n === '' ? 'unknown' : n.toLowerCase().slice(0, 16));
}

/**
 * The page description language a document starts with, from its first bytes; undefined when
 * they say nothing (a language announced by ENTER LANGUAGE then stands).
 */
export function sniffLanguage(buf: Uint8Array, off: number, end: number): string | undefined {
  let p = off;
  while (p < end && (buf[p] === 0x0d || buf[p] === 0x0a || buf[p] === 0x20 || buf[p] === 0x09 || buf[p] === 0x04)) p++;
  if (p >= end) return undefined;
  const b = buf[p];
  if (b === 0x25) {
    if (startsWith(buf, p, end, '%!')) return 'postscript';
    if (startsWith(buf, p, end, '%PDF-')) return 'pdf';
    return undefined;
  }
  // ZPL: a format (^XA) or a host command (~DG download graphic, ~HI, ~JA …).
  if (b === 0x5e || b === 0x7e) return p + 2 < end && upper(buf[p + 1]) >= 0x41 && upper(buf[p + 1]) <= 0x5a ? 'zpl' : undefined;
  if (b === ESC) {
    // ESC E (reset), ESC & / ESC * / ESC ( / ESC ) parameterised commands, ESC % -1 B (HP-GL/2).
    const c = p + 1 < end ? buf[p + 1] : -1;
    if (c === 0x45 || c === 0x26 || c === 0x2a || c === 0x28 || c === 0x29 || c === 0x25) return 'pcl';
    if (c === 0x40) return 'escp';
    return undefined;
  }
  // PCL XL's stream header: ") HP-PCL XL;" with its binding ("(" or ")") first.
  if ((b === 0x29 || b === 0x28 || b === 0x27) && startsWith(buf, p + 1, end, ' HP-PCL XL')) return 'pclxl';
  return undefined;
}

/** A DSC comment of a PostScript header: %%Creator:, %%For:, %%Title: … (`key` without "%%"). */
export function dscComment(line: string): { key: string; value: string } | null {
  const m = /^%%([A-Za-z]+):\s*(.*)$/.exec(line);
  if (m === null) return null;
  let v = m[2].trim();
  // DSC text values may be PostScript strings: (nurse.kim)
  if (v.startsWith('(') && v.endsWith(')')) v = v.slice(1, -1);
  return { key: m[1], value: v };
}

/** ZPL's answer to ~HI (host identification): model, firmware version, dots per mm, memory. */
export function parseZplIdentity(text: string): { model: string; firmware: string } | null {
  const f = text.split(',');
  if (f.length < 3) return null;
  const model = f[0].trim();
  const firmware = f[1].trim();
  // Zebra firmware versions read "V84.20.18Z"; a model names letters ("ZD420-300dpi"): ~HS's
  // status numbers ("030,0,0,…") are neither.
  if (!/^[A-Za-z0-9][\w .+/-]{0,47}$/.test(model) || !/[A-Za-z]/.test(model) || !/^V\d+[\w.]*$/i.test(firmware)) return null;
  return { model, firmware };
}

/** True for a volume path that climbs out of its volume ("0:\..\..\etc\passwd"). */
export function climbsOut(path: string): boolean {
  return /(^|[\\/:])\.\.([\\/]|$)/.test(path);
}
