// ASTM E1381 / CLSI LIS01-A2 low-level framing and ASTM E1394 / CLSI LIS02-A2 records: how
// laboratory analyzers (haematology, chemistry, immunoassay, blood gas, blood bank) exchange
// orders and results with the laboratory information system over TCP. Pure functions.
//
// LIS01-A2 (§6): the sender bids with ENQ, the receiver answers ACK or NAK; each frame is
//   <STX> FN text <ETB|ETX> C1 C2 <CR> <LF>
// where FN is the frame number '0'–'7' (the first frame is 1, then modulo 8), ETB ends an
// intermediate frame and ETX the last frame of a message, and C1 C2 are the hex digits of the
// sum modulo 256 of FN through ETB/ETX. The receiver acknowledges each frame; EOT ends the
// transfer. Many instruments send the LIS02 records over TCP without this framing ("raw").
//
// LIS02-A2 (§5–§6): a message is records separated by CR, from a Header (H) to a Message
// Terminator (L): Patient (P), Order (O), Result (R), Comment (C), Request information (Q),
// Manufacturer (M), Scientific (S). The header's second field defines the delimiters
// (field, repeat, component, escape; "|\^&" nearly always).

export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;
export const EOT = 0x04;
export const STX = 0x02;
export const ETX = 0x03;
export const ETB = 0x17;
export const CR = 0x0d;
export const LF = 0x0a;

/** Longest frame text LIS01-A2 allows is 240 characters; longer ones are tolerated up to this. */
export const MAX_FRAME = 64 * 1024;

/** Checksum of a frame: the sum modulo 256 of `buf[from..to)` (FN through ETB/ETX). */
export function frameChecksum(buf: Uint8Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s = (s + buf[i]) & 0xff;
  return s;
}

/** A hex digit's value, or -1. */
export function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/** The delimiters a header defines. */
export interface Delimiters {
  field: string;
  repeat: string;
  component: string;
  escape: string;
}

export const DEFAULT_DELIMITERS: Delimiters = { field: '|', repeat: '\\', component: '^', escape: '&' };

const isDelimiter = (c: number): boolean => c > 0x20 && c < 0x7f && !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));

/**
 * Whether `buf[off..]` starts a header record: "H", then four distinct delimiter characters,
 * then the field delimiter again ("H|\^&|"). `len` below 6 answers from what is there.
 */
export function looksLikeHeader(buf: Uint8Array, off: number, len: number): boolean {
  if (len < 1 || buf[off] !== 0x48) return false;
  const n = Math.min(len, 6);
  const seen: number[] = [];
  for (let i = 1; i < Math.min(n, 5); i++) {
    const c = buf[off + i];
    if (!isDelimiter(c) || seen.includes(c)) return false;
    seen.push(c);
  }
  return n < 6 || buf[off + 5] === buf[off + 1];
}

/** The delimiters of a header record's text ("H|\^&|…"), or null. */
export function headerDelimiters(rec: string): Delimiters | null {
  if (rec.length < 5 || rec[0] !== 'H') return null;
  const d = { field: rec[1], repeat: rec[2], component: rec[3], escape: rec[4] };
  const all = [d.field, d.repeat, d.component, d.escape];
  if (all.some((c) => !isDelimiter(c.charCodeAt(0))) || new Set(all).size !== 4) return null;
  return d;
}

/** What LIS02-A2 §6 (Message Header Record) fields the log keeps. */
export interface Header {
  /** 6.3 Message Control ID. */
  controlId: string;
  /** 6.4 Access Password: only whether one was sent is ever kept outside memory. */
  password: string;
  /** 6.5 Sender Name or ID (components as sent: often manufacturer^model^version^serial). */
  senderId: string;
  /** 6.10 Receiver ID. */
  receiverId: string;
  /** 6.12 Processing ID: P production, T training, D debugging, Q quality control. */
  processingId: string;
  /** 6.13 Version No. ("LIS2-A2", "1394-97", "E1394-97"). */
  version: string;
  /** 6.14 Date and Time of Message (YYYYMMDDHHMMSS). */
  time: string;
}

/** Longest field value kept. */
export const MAX_VALUE = 200;

const clip = (s: string): string => (s.length > MAX_VALUE ? s.slice(0, MAX_VALUE) : s);

export function parseHeader(rec: string, d: Delimiters): Header {
  // The delimiter definition (field 2) holds the repeat delimiter: the split starts after it.
  const f = rec.slice(5).split(d.field);
  // f[0] is what followed the definition in field 2 (nothing); f[1] is field 3.
  const at = (n: number): string => clip((f[n - 2] ?? '').trim());
  return { controlId: at(3), password: f[2] ?? '', senderId: at(5), receiverId: at(10), processingId: at(12), version: at(13), time: at(14) };
}

/** Record type letters LIS02-A2 defines (lower case is also accepted by instruments). */
export const RECORD_TYPES = 'HPOCRQLMS';

/** Patient record fields whose presence means patient data crossed the wire (LIS02-A2 §7). */
export const PATIENT_FIELDS: readonly [number, string][] = [
  [3, 'practice_patient_id'],
  [4, 'laboratory_patient_id'],
  [5, 'patient_id_3'],
  [6, 'patient_name'],
  [7, 'mothers_maiden_name'],
  [8, 'birthdate'],
  [9, 'sex'],
  [11, 'address'],
  [13, 'telephone'],
  [14, 'attending_physician'],
];

/** The names of the patient fields a P record fills (values never leave this function). */
export function patientFields(rec: string, d: Delimiters): string[] {
  const f = rec.split(d.field);
  const out: string[] = [];
  for (const [n, name] of PATIENT_FIELDS) {
    const v = f[n - 1];
    if (v !== undefined && v.replaceAll(d.component, '').replaceAll(d.repeat, '').trim() !== '') out.push(name);
  }
  return out;
}

/**
 * The test named by an Order's or Result's Universal Test ID (field 5 of O, 3 of R): its
 * manufacturer's local code, the fourth component ("^^^WBC^1" → "WBC"), else the first.
 */
export function testId(rec: string, d: Delimiters): string {
  const f = rec.split(d.field);
  const field = (rec[0] === 'O' || rec[0] === 'o' ? f[4] : f[2]) ?? '';
  const first = field.split(d.repeat)[0];
  const c = first.split(d.component);
  const code = (c[3] ?? '').trim() || (c[0] ?? '').trim();
  return clip(code);
}
