// IPP messages (RFC 8010 §3.1 encoding, RFC 8011 operations and status codes; CUPS's own
// operations from the CUPS Implementation of IPP): the fixed header (version, operation-id or
// status-code, request-id) and the attribute groups up to end-of-attributes, of which only the
// attributes that identify the printer and the requester are kept. Pure: bytes → fields.
//
// Deliberately never kept: job-name, document-name and document data. Print jobs in a hospital
// are named after what they print ("Specimen label MRN 00412345", a patient's discharge letter).
import { latin1 } from '../textproto.js';

/** Delimiter tags (RFC 8010 §3.5.1): a value below 0x10 starts a group or ends the attributes. */
const TAG_END_OF_ATTRIBUTES = 0x03;
const MAX_DELIMITER = 0x0f;
/** A value tag of 0x7f is followed by a four-octet extended tag (RFC 8010 §3.5.2). */
const TAG_EXTENSION = 0x7f;
/** Attributes walked per message; a Get-Printer-Attributes answer has a few hundred. */
const MAX_ATTRIBUTES = 4096;
/** Longest value kept as text (names and make-and-model are short; device ids run to ~200). */
const MAX_TEXT = 512;
const HEADER_LEN = 8;

/** The attributes kept, by IPP name. */
const KEPT = new Set([
  'requesting-user-name',
  'printer-uri',
  'document-format',
  'status-message',
  'printer-make-and-model',
  'printer-device-id',
  'printer-info',
  'printer-location',
  'printer-name',
  'printer-firmware-string-version',
  'printer-uuid',
]);

export interface IppMessage {
  major: number;
  minor: number;
  /** operation-id in a request, status-code in a response. */
  code: number;
  requestId: number;
  /** First value of each kept attribute, as text. */
  attrs: Map<string, string>;
  /** The attribute section ended inside the bytes given (false: cut short). */
  complete: boolean;
}

/**
 * Parses the IPP message at `off`. Null when the bytes are no IPP message (bad version or
 * malformed attribute encoding before anything was read).
 */
export function parseIpp(buf: Uint8Array, off: number, len: number): IppMessage | null {
  if (off < 0 || len < HEADER_LEN || off + len > buf.length) return null;
  const major = buf[off];
  const minor = buf[off + 1];
  // Versions 1.0, 1.1, 2.0, 2.1, 2.2 exist (RFC 8010 §4.1, PWG 5100.12).
  if (major < 1 || major > 2 || minor > 2) return null;
  const code = (buf[off + 2] << 8) | buf[off + 3];
  const requestId = ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0;
  const attrs = new Map<string, string>();
  const end = off + len;
  let p = off + HEADER_LEN;
  // The first octet after the header must be a group delimiter (every message has an operation group).
  if (p < end && buf[p] > MAX_DELIMITER) return null;
  let name = '';
  let complete = false;
  for (let n = 0; n < MAX_ATTRIBUTES && p < end; n++) {
    const tag = buf[p];
    if (tag <= MAX_DELIMITER) {
      p++;
      if (tag === TAG_END_OF_ATTRIBUTES) {
        complete = true;
        break;
      }
      continue;
    }
    let q = p + 1;
    if (tag === TAG_EXTENSION) q += 4;
    if (q + 2 > end) break;
    const nameLen = (buf[q] << 8) | buf[q + 1];
    q += 2;
    if (q + nameLen + 2 > end) break;
    // A zero-length name is another value of the previous attribute (RFC 8010 §3.1.5).
    if (nameLen > 0) name = latin1(buf, q, q + Math.min(nameLen, MAX_TEXT));
    q += nameLen;
    const valueLen = (buf[q] << 8) | buf[q + 1];
    q += 2;
    if (q + valueLen > end) break;
    if (nameLen > 0 && KEPT.has(name) && !attrs.has(name)) attrs.set(name, utf8(buf, q, Math.min(valueLen, MAX_TEXT)));
    p = q + valueLen;
  }
  return { major, minor, code, requestId, attrs, complete };
}

/** IEEE 1284 device id keys (printer-device-id, "MFG:HP;MDL:LaserJet M507;CMD:PCL,PDF;"). */
export function deviceIdField(id: string, ...keys: string[]): string | undefined {
  for (const part of id.split(';')) {
    const i = part.indexOf(':');
    if (i <= 0) continue;
    const k = part.slice(0, i).trim().toUpperCase();
    if (keys.includes(k)) {
      const v = part.slice(i + 1).trim();
      if (v !== '') return v;
    }
  }
  return undefined;
}

const OPERATIONS: Record<number, string> = {
  0x0002: 'Print-Job',
  0x0003: 'Print-URI',
  0x0004: 'Validate-Job',
  0x0005: 'Create-Job',
  0x0006: 'Send-Document',
  0x0007: 'Send-URI',
  0x0008: 'Cancel-Job',
  0x0009: 'Get-Job-Attributes',
  0x000a: 'Get-Jobs',
  0x000b: 'Get-Printer-Attributes',
  0x000c: 'Hold-Job',
  0x000d: 'Release-Job',
  0x000e: 'Restart-Job',
  0x0010: 'Pause-Printer',
  0x0011: 'Resume-Printer',
  0x0012: 'Purge-Jobs',
  0x0013: 'Set-Printer-Attributes',
  0x0014: 'Set-Job-Attributes',
  0x0015: 'Get-Printer-Supported-Values',
  0x0016: 'Create-Printer-Subscriptions',
  0x0017: 'Create-Job-Subscriptions',
  0x0018: 'Get-Subscription-Attributes',
  0x0019: 'Get-Subscriptions',
  0x001a: 'Renew-Subscription',
  0x001b: 'Cancel-Subscription',
  0x001c: 'Get-Notifications',
  0x0022: 'Enable-Printer',
  0x0023: 'Disable-Printer',
  0x0039: 'Cancel-Jobs',
  0x003a: 'Cancel-My-Jobs',
  0x003b: 'Resubmit-Job',
  0x003c: 'Close-Job',
  0x003d: 'Identify-Printer',
  0x003e: 'Validate-Document',
  0x4001: 'CUPS-Get-Default',
  0x4002: 'CUPS-Get-Printers',
  0x4003: 'CUPS-Add-Modify-Printer',
  0x4004: 'CUPS-Delete-Printer',
  0x4005: 'CUPS-Get-Classes',
  0x4006: 'CUPS-Add-Modify-Class',
  0x4007: 'CUPS-Delete-Class',
  0x4008: 'CUPS-Accept-Jobs',
  0x4009: 'CUPS-Reject-Jobs',
  0x400a: 'CUPS-Set-Default',
  0x400b: 'CUPS-Get-Devices',
  0x400c: 'CUPS-Get-PPDs',
  0x400d: 'CUPS-Move-Job',
  0x400e: 'CUPS-Authenticate-Job',
  0x400f: 'CUPS-Get-PPD',
  0x4027: 'CUPS-Get-Document',
};

const STATUSES: Record<number, string> = {
  0x0000: 'successful-ok',
  0x0001: 'successful-ok-ignored-or-substituted-attributes',
  0x0002: 'successful-ok-conflicting-attributes',
  0x0400: 'client-error-bad-request',
  0x0401: 'client-error-forbidden',
  0x0402: 'client-error-not-authenticated',
  0x0403: 'client-error-not-authorized',
  0x0404: 'client-error-not-possible',
  0x0405: 'client-error-timeout',
  0x0406: 'client-error-not-found',
  0x0407: 'client-error-gone',
  0x0408: 'client-error-request-entity-too-large',
  0x0409: 'client-error-request-value-too-long',
  0x040a: 'client-error-document-format-not-supported',
  0x040b: 'client-error-attributes-or-values-not-supported',
  0x040c: 'client-error-uri-scheme-not-supported',
  0x040d: 'client-error-charset-not-supported',
  0x040e: 'client-error-conflicting-attributes',
  0x040f: 'client-error-compression-not-supported',
  0x0410: 'client-error-compression-error',
  0x0411: 'client-error-document-format-error',
  0x0412: 'client-error-document-access-error',
  0x0500: 'server-error-internal-error',
  0x0501: 'server-error-operation-not-supported',
  0x0502: 'server-error-service-unavailable',
  0x0503: 'server-error-version-not-supported',
  0x0504: 'server-error-device-error',
  0x0505: 'server-error-temporary-error',
  0x0506: 'server-error-not-accepting-jobs',
  0x0507: 'server-error-busy',
  0x0508: 'server-error-job-canceled',
  0x0509: 'server-error-multiple-document-jobs-not-supported',
};

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

export function operationName(op: number): string {
  return OPERATIONS[op] ?? hex4(op);
}

export function statusName(code: number): string {
  return STATUSES[code] ?? hex4(code);
}

function utf8(buf: Uint8Array, off: number, len: number): string {
  // Control characters are dropped: the text ends up in logs and a report.
  return Buffer.from(buf.buffer, buf.byteOffset + off, len).toString('utf8').replace(/[\u0000-\u001f\u007f]/g, '');
}
