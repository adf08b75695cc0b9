// CLSI POCT1-A2 device messaging (DML): XML documents, one per message, whose root element
// names the message (HEL.R01 hello, DST.R01 device status, OBS.R01 observations, ACK.R01,
// EOT.R01, END.R01, REQ.R01, DTV.R01/R02 directives, OPL.R01 operator lists, KPA.R01 …) and
// whose fields are empty elements named "<group>.<field>" carrying their value in the V
// attribute (<DEV.model_id V="i-STAT 1"/>). Messages follow each other on a TCP connection
// without other framing. Pure functions over bytes; nothing here keeps a patient value.
import { decodeEntities } from '../wsd/xml.js';

/** A POCT1-A message root: three capitals, '.', 'R' and two digits. */
const ROOT = /^[A-Z]{3}\.R\d\d$/;
/** Longest message examined; a longer one is skipped to its end (observation batches are large). */
export const MAX_MESSAGE = 1 << 20;
/** Fields read from one message. */
const MAX_FIELDS = 4096;
/** Analyte codes kept per message. */
const MAX_OBS_IDS = 16;

export interface PoctMessage {
  /** Root element: HEL.R01, OBS.R01 … */
  type: string;
  control_id?: string;
  version_id?: string;
  device_id?: string;
  vendor_id?: string;
  model_id?: string;
  serial_id?: string;
  manufacturer_name?: string;
  hw_version?: string;
  sw_version?: string;
  device_name?: string;
  /** ACK.R01: AA accepted, AE error. */
  ack_type?: string;
  /** DTV.R0x: the directive. */
  command?: string;
  /** OBS elements (one per result) and their analyte codes. */
  observations: number;
  observation_ids: string[];
  /** Names of the patient fields (PT.*) that carried a value; never the values. */
  patient_fields: string[];
  /** Operator-list entries (OPL.R0x), or operators named in results. */
  operators: number;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/**
 * Where the next message's root element starts at or after `p` (after whitespace, a UTF-8 BOM,
 * an XML declaration and comments), and its name; 'need_more' when the bytes end first; 'bad'
 * when something else is there.
 */
export function messageStart(b: Uint8Array, p: number, end: number): { at: number; name: string } | 'need_more' | 'bad' {
  for (let guard = 0; guard < 64; guard++) {
    while (p < end && isSpace(b[p])) p++;
    if (end - p >= 3 && b[p] === 0xef && b[p + 1] === 0xbb && b[p + 2] === 0xbf) {
      p += 3;
      continue;
    }
    if (p >= end) return 'need_more';
    if (b[p] !== 0x3c) return 'bad';
    if (end - p < 2) return 'need_more';
    const c = b[p + 1];
    if (c === 0x3f || c === 0x21) {
      // <?xml …?> or <!-- … -->: skip to its '>'.
      let q = p + 2;
      while (q < end && b[q] !== 0x3e) q++;
      if (q >= end) return end - p > 4096 ? 'bad' : 'need_more';
      p = q + 1;
      continue;
    }
    let q = p + 1;
    while (q < end && q - p <= 16 && b[q] !== 0x3e && b[q] !== 0x2f && !isSpace(b[q])) q++;
    if (q >= end) return end - p > 16 ? 'bad' : 'need_more';
    const name = String.fromCharCode(...b.subarray(p + 1, q));
    return ROOT.test(name) ? { at: p, name } : 'bad';
  }
  return 'bad';
}

/** The offset just past `</name>` at or after `from`, or -1. */
export function messageEnd(b: Uint8Array, from: number, end: number, name: string): number {
  const n = name.length;
  for (let p = from; p + n + 3 <= end; p++) {
    if (b[p] !== 0x3c || b[p + 1] !== 0x2f) continue;
    let ok = true;
    for (let i = 0; i < n; i++) {
      if (b[p + 2 + i] !== name.charCodeAt(i)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    let q = p + 2 + n;
    while (q < end && isSpace(b[q])) q++;
    if (q < end && b[q] === 0x3e) return q + 1;
  }
  return -1;
}

const FIELD = /<([A-Z]{2,4})\.([A-Za-z0-9_]+)((?:\s+[A-Za-z_:][-\w:.]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g;
const V_ATTR = /(?:^|\s)V\s*=\s*(?:"([^"]*)"|'([^']*)')/;
const OBS_OPEN = /<OBS(?:\s[^>]*)?>/g;

const DEV_FIELDS: Record<string, keyof PoctMessage> = {
  device_id: 'device_id',
  vendor_id: 'vendor_id',
  model_id: 'model_id',
  serial_id: 'serial_id',
  manufacturer_name: 'manufacturer_name',
  hw_version: 'hw_version',
  sw_version: 'sw_version',
  device_name: 'device_name',
};

/** The fields of one whole message (its text, root element included). */
export function parseMessage(type: string, text: string): PoctMessage {
  const m: PoctMessage = { type, observations: 0, observation_ids: [], patient_fields: [], operators: 0 };
  let n = 0;
  FIELD.lastIndex = 0;
  for (let x = FIELD.exec(text); x !== null && n < MAX_FIELDS; x = FIELD.exec(text), n++) {
    const group = x[1];
    const field = x[2];
    const a = V_ATTR.exec(x[3]);
    if (a === null) continue;
    const v = decodeEntities((a[1] ?? a[2] ?? '').trim()).slice(0, 256);
    if (v === '') continue;
    if (group === 'HDR') {
      if (field === 'control_id') m.control_id = v;
      else if (field === 'version_id') m.version_id = v;
    } else if (group === 'DEV') {
      const k = DEV_FIELDS[field];
      if (k !== undefined && (m as unknown as Record<string, unknown>)[k] === undefined) (m as unknown as Record<string, unknown>)[k] = v;
    } else if (group === 'ACK' && field === 'type_cd') {
      m.ack_type = v;
    } else if (group === 'DTV' && field === 'command_cd') {
      m.command = v;
    } else if (group === 'OBS' && field === 'observation_id') {
      if (m.observation_ids.length < MAX_OBS_IDS && !m.observation_ids.includes(v)) m.observation_ids.push(v);
    } else if (group === 'PT') {
      const name = `PT.${field}`;
      if (!m.patient_fields.includes(name) && m.patient_fields.length < 32) m.patient_fields.push(name);
    } else if (group === 'OPR' && field === 'operator_id') {
      m.operators++;
    }
  }
  OBS_OPEN.lastIndex = 0;
  while (OBS_OPEN.exec(text) !== null && m.observations < 1_000_000) m.observations++;
  m.patient_fields.sort();
  return m;
}
