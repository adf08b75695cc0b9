// HL7 v2 over MLLP (HL7 v2.5.1 Implementation Guide: Transport Specification, MLLP release 2):
// a message is framed as <VT=0x0B> message <FS=0x1C><CR=0x0D>. Inside, segments end with CR
// (HL7 v2 §2.5); MSH-1 is the field separator and MSH-2 the encoding characters (§2.5.4).
// Pure functions: this file reads header fields, acknowledgement codes and device identifiers,
// and notes which patient segments are present without ever returning their contents.

export const MLLP_START = 0x0b;
export const MLLP_END = 0x1c;
export const MLLP_END2 = 0x0d;

const CR = 0x0d;
const LF = 0x0a;
/** Longest field value kept (application names, control ids, device ids). */
export const MAX_FIELD = 128;
const MAX_SEGMENTS = 4096;
const MAX_DEVICE_IDS = 16;

/** Segments whose presence means patient data crossed the wire (PID, NK1, PV1 and kin). */
export const PHI_SEGMENTS = new Set(['PID', 'PD1', 'NK1', 'PV1', 'PV2', 'MRG', 'GT1', 'IN1', 'IN2', 'IN3', 'ACC', 'DG1', 'AL1']);

export interface Hl7Message {
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-9 message code and trigger event, e.g. "ADT^A01" (the structure component dropped). */
  messageType: string;
  controlId: string;
  processingId: string;
  version: string;
  /** MSA-1 and MSA-2 of an acknowledgement. */
  ackCode?: string;
  ackControlId?: string;
  /** PRT-10/PRT-16 (device, UDI device identifier) and OBX-18 (equipment instance identifier). */
  deviceIds: string[];
  /** Patient segments present, each once, in order of appearance. */
  phiSegments: string[];
  segments: number;
}

export type ParseStatus = 'bad';

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  const stop = Math.min(end, start + MAX_FIELD);
  for (let i = start; i < stop; i++) {
    const c = buf[i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s;
}

/** A field separator (MSH-1, BHS-1, FHS-1): printable, and no letter or digit. */
function isSeparator(fs: number): boolean {
  return !(fs < 0x20 || fs >= 0x7f || (fs >= 0x30 && fs <= 0x39) || (fs >= 0x41 && fs <= 0x5a) || (fs >= 0x61 && fs <= 0x7a));
}

/** Splits [start, end) at `sep` into field ranges, at most `max` of them. */
function fieldRanges(buf: Uint8Array, start: number, end: number, sep: number, max: number): number[] {
  const r: number[] = [start];
  for (let i = start; i < end && r.length < max * 2; i++) {
    if (buf[i] === sep) {
      r.push(i, i + 1);
    }
  }
  r.push(end);
  return r;
}

/** Component 1 and 2 joined by the component separator: "ADT^A01^ADT_A01" → "ADT^A01". */
function firstComponents(s: string, comp: string, n: number): string {
  return s.split(comp).slice(0, n).join(comp);
}

/**
 * Parses one HL7 message (the bytes between the MLLP start and end marks). Returns 'bad' when
 * it does not begin with an MSH segment. Segment contents other than MSH, MSA, PRT device
 * fields and OBX-18 are never decoded.
 */
export function parseMessage(buf: Uint8Array, off: number, len: number): Hl7Message | ParseStatus {
  const end = off + len;
  // Tolerate stray line feeds before MSH (some senders put CR LF between messages).
  let p = off;
  while (p < end && (buf[p] === CR || buf[p] === LF)) p++;
  if (end - p < 8 || buf[p] !== 0x4d || buf[p + 1] !== 0x53 || buf[p + 2] !== 0x48) return 'bad';
  const fs = buf[p + 3];
  if (!isSeparator(fs)) return 'bad';
  const comp = buf[p + 4] >= 0x20 && buf[p + 4] < 0x7f && buf[p + 4] !== fs ? String.fromCharCode(buf[p + 4]) : '^';
  const rep = buf[p + 5] >= 0x20 && buf[p + 5] < 0x7f && buf[p + 5] !== fs ? buf[p + 5] : 0x7e;
  const m: Hl7Message = {
    sendingApplication: '',
    sendingFacility: '',
    receivingApplication: '',
    receivingFacility: '',
    messageType: '',
    controlId: '',
    processingId: '',
    version: '',
    deviceIds: [],
    phiSegments: [],
    segments: 0,
  };
  let segStart = p;
  while (segStart < end && m.segments < MAX_SEGMENTS) {
    let segEnd = segStart;
    while (segEnd < end && buf[segEnd] !== CR && buf[segEnd] !== LF) segEnd++;
    if (segEnd - segStart >= 3) {
      m.segments++;
      const id = latin1(buf, segStart, segStart + 3);
      if (m.segments === 1) readMsh(m, buf, segStart, segEnd, fs, comp);
      else if (PHI_SEGMENTS.has(id)) {
        if (!m.phiSegments.includes(id)) m.phiSegments.push(id);
      } else if (id === 'MSA') {
        const f = fieldRanges(buf, segStart, segEnd, fs, 3);
        if (f.length >= 4) m.ackCode = latin1(buf, f[2], f[3]);
        if (f.length >= 6) m.ackControlId = latin1(buf, f[4], f[5]);
      } else if (id === 'PRT') {
        const f = fieldRanges(buf, segStart, segEnd, fs, 17);
        for (const n of [10, 16]) if (f.length >= 2 * n + 2) addDeviceIds(m, buf, f[2 * n], f[2 * n + 1], rep, comp);
      } else if (id === 'OBX') {
        const f = fieldRanges(buf, segStart, segEnd, fs, 19);
        if (f.length >= 38) addDeviceIds(m, buf, f[36], f[37], rep, comp);
      }
    }
    segStart = segEnd + 1;
  }
  return m;
}

/** What one MLLP block (or HTTP body) carries: a message, or a batch of them. */
export interface Hl7Frame {
  messages: Hl7Message[];
  /** Each message's batch control id (its BHS-11, else the FHS-11; '' when the header has none); null for a lone message. */
  batchIds: (string | null)[];
  /** Messages of the batch past `max`, counted only. */
  dropped: number;
}

function segmentIs(buf: Uint8Array, p: number, end: number, id: string): boolean {
  return end - p >= 4 && buf[p] === id.charCodeAt(0) && buf[p + 1] === id.charCodeAt(1) && buf[p + 2] === id.charCodeAt(2);
}

const BATCH_SEGMENTS = ['FHS', 'BHS', 'BTS', 'FTS'];

/**
 * Parses an MLLP block: one message (MSH …), or a batch (HL7 v2.5 §2.10.3: FHS file header, BHS
 * batch header, messages each starting with MSH, BTS and FTS trailers) sent as one block by
 * gateways and laboratory systems. Each message of a batch is parsed as a message of its own,
 * at most `max`. 'bad' when the block begins with none of those segments.
 */
export function parseFrame(buf: Uint8Array, off: number, len: number, max: number): Hl7Frame | ParseStatus {
  const end = off + len;
  let p = off;
  while (p < end && (buf[p] === CR || buf[p] === LF)) p++;
  if (segmentIs(buf, p, end, 'MSH')) {
    const m = parseMessage(buf, p, end - p);
    return m === 'bad' ? m : { messages: [m], batchIds: [null], dropped: 0 };
  }
  if (!segmentIs(buf, p, end, 'FHS') && !segmentIs(buf, p, end, 'BHS')) return 'bad';
  const fs = buf[p + 3];
  if (!isSeparator(fs)) return 'bad';
  const frame: Hl7Frame = { messages: [], batchIds: [], dropped: 0 };
  let fileId = '';
  let batchId: string | null = null;
  let msgStart = -1;
  let segments = 0;
  const close = (at: number): void => {
    if (msgStart < 0) return;
    if (frame.messages.length >= max) frame.dropped++;
    else {
      const m = parseMessage(buf, msgStart, at - msgStart);
      if (m !== 'bad') {
        frame.messages.push(m);
        frame.batchIds.push(batchId ?? fileId);
      }
    }
    msgStart = -1;
  };
  let segStart = p;
  while (segStart < end && segments < MAX_SEGMENTS) {
    let segEnd = segStart;
    while (segEnd < end && buf[segEnd] !== CR && buf[segEnd] !== LF) segEnd++;
    if (segEnd - segStart >= 3) {
      segments++;
      if (segmentIs(buf, segStart, end, 'MSH')) {
        close(segStart);
        msgStart = segStart;
      } else if (BATCH_SEGMENTS.some((id) => segmentIs(buf, segStart, end, id))) {
        close(segStart);
        const bhs = segmentIs(buf, segStart, end, 'BHS');
        if (bhs || segmentIs(buf, segStart, end, 'FHS')) {
          // FHS/BHS-1 is the separator itself, as in MSH: split part i holds field i+1.
          const f = fieldRanges(buf, segStart, segEnd, fs, 12);
          const id = f.length >= 22 ? latin1(buf, f[20], f[21]) : '';
          if (bhs) batchId = id;
          else fileId = id;
        } else if (segmentIs(buf, segStart, end, 'BTS')) batchId = null;
      }
    }
    segStart = segEnd + 1;
  }
  close(end);
  return frame;
}

/** MSH fields: MSH-1 is the separator itself, so split part i holds MSH-(i+1). */
function readMsh(m: Hl7Message, buf: Uint8Array, start: number, end: number, fs: number, comp: string): void {
  const f = fieldRanges(buf, start, end, fs, 13);
  const field = (n: number): string => {
    const i = n - 1;
    return f.length >= 2 * i + 2 ? latin1(buf, f[2 * i], f[2 * i + 1]) : '';
  };
  m.sendingApplication = field(3);
  m.sendingFacility = field(4);
  m.receivingApplication = field(5);
  m.receivingFacility = field(6);
  m.messageType = firstComponents(field(9), comp, 2);
  m.controlId = field(10);
  m.processingId = field(11);
  m.version = firstComponents(field(12), comp, 1);
}

/** An EI field, each repetition: its identifier with namespace components as sent. */
function addDeviceIds(m: Hl7Message, buf: Uint8Array, start: number, end: number, rep: number, comp: string): void {
  let s = start;
  for (let i = start; i <= end; i++) {
    if (i === end || buf[i] === rep) {
      const v = latin1(buf, s, i);
      // Empty components only ("^^^") name nothing.
      if (v.split(comp).join('') !== '' && !m.deviceIds.includes(v) && m.deviceIds.length < MAX_DEVICE_IDS) m.deviceIds.push(v);
      s = i + 1;
    }
  }
}
