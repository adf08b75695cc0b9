// H.248/Megaco text encoding (ITU-T H.248.1 Annex B, RFC 3525 for version 1): the call-control
// protocol between a media gateway controller (a softswitch) and its media gateways (TDM–IP
// gateways, fax and analog-line gateways). A message is "MEGACO/v" (or its short form "!/v"),
// the sender's mId, then transactions — requests (Transaction/T), replies (Reply/P), pending
// notices (Pending/PN), response acks (TransactionResponseAck/K) — each holding contexts
// (Context/C) of commands (Add, Modify, Move, Subtract, AuditValue, AuditCapability, Notify,
// ServiceChange) on terminations, with descriptors in braces. Every token has a long and a short
// name, matched without case. Local/Remote descriptors hold SDP (RFC 4566) verbatim. The scanner
// below keeps only what identifies the gateway and what its calls carry; it is bounded in tokens,
// depth and list lengths.
import { escapeBytes } from '../l2text.js';

export const MEGACO_PORT = 2944;
/** Tokens scanned per message, brace depth, items per list, characters per value. */
const MAX_TOKENS = 8192;
const MAX_DEPTH = 32;
const MAX_ITEMS = 16;
const MAX_VALUE = 128;

const TRANSACTIONS: Record<string, string> = { transaction: 'request', t: 'request', reply: 'reply', p: 'reply', pending: 'pending', pn: 'pending', transactionresponseack: 'response_ack', k: 'response_ack' };
const COMMANDS: Record<string, string> = {
  add: 'Add',
  a: 'Add',
  modify: 'Modify',
  mf: 'Modify',
  move: 'Move',
  mv: 'Move',
  subtract: 'Subtract',
  s: 'Subtract',
  auditvalue: 'AuditValue',
  av: 'AuditValue',
  auditcapability: 'AuditCapability',
  ac: 'AuditCapability',
  notify: 'Notify',
  n: 'Notify',
  servicechange: 'ServiceChange',
  sc: 'ServiceChange',
};
const SERVICE_PARMS: Record<string, 'method' | 'reason' | 'profile' | 'version' | 'address'> = {
  method: 'method',
  mt: 'method',
  reason: 'reason',
  re: 'reason',
  profile: 'profile',
  pf: 'profile',
  version: 'version',
  v: 'version',
  servicechangeaddress: 'address',
  ad: 'address',
};

export interface MegacoTransaction {
  kind: string;
  id: string;
  contexts: string[];
  /** "<Command> <termination id>", in order. */
  commands: string[];
  /** "<code> <text>" of Error descriptors. */
  errors: string[];
  /** Package/event names of ObservedEvents (e.g. ctyp/dtone). */
  observed_events: string[];
  /** SDP media ("m=") lines of Local and Remote descriptors, and their connection addresses. */
  media: string[];
  media_addresses: string[];
  service_change?: { method?: string; reason?: string; profile?: string; version?: string; address?: string };
}

export interface MegacoMessage {
  version: number;
  mid: string;
  transactions: MegacoTransaction[];
  /** A message-level Error descriptor instead of transactions. */
  error?: string;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** Bytes that end a word: white space and the delimiters of the text encoding. */
function isDelim(c: number): boolean {
  return isSpace(c) || c === 0x7b || c === 0x7d || c === 0x3d || c === 0x2c || c === 0x22;
}

/** Whether the bytes start a Megaco text message: "MEGACO/" or "!/", a version digit, white space. */
export function isMegacoText(b: Uint8Array, off: number, len: number): boolean {
  const end = off + len;
  let p = off;
  while (p < end && isSpace(b[p])) p++;
  if (p < end && b[p] === 0x21) p++;
  else {
    const word = 'MEGACO';
    for (let i = 0; i < word.length; i++, p++) if (p >= end || (b[p] & 0xdf) !== word.charCodeAt(i)) return false;
  }
  return p + 2 < end && b[p] === 0x2f && b[p + 1] >= 0x31 && b[p + 1] <= 0x39 && isSpace(b[p + 2]);
}

interface Frame {
  name: string;
  value: string;
  tx: MegacoTransaction | null;
}

/** A Megaco text message, or a reason it is not one. */
export function parseMegaco(b: Uint8Array, off: number, len: number): MegacoMessage | string {
  if (!isMegacoText(b, off, len)) return 'not_megaco';
  const end = off + len;
  let p = off;
  while (isSpace(b[p])) p++;
  while (b[p] !== 0x2f) p++;
  const version = b[p + 1] - 0x30;
  p += 2;
  while (p < end && isSpace(b[p])) p++;
  // mId: up to white space (a domain name or address, a port after ":"), never containing braces.
  const midStart = p;
  while (p < end && !isSpace(b[p]) && b[p] !== 0x7b) p++;
  if (p === midStart) return 'no_mid';
  const msg: MegacoMessage = { version, mid: escapeBytes(b, midStart, Math.min(p, midStart + MAX_VALUE)), transactions: [] };

  const stack: Frame[] = [];
  let tokens = 0;
  // A word read and not yet placed, and whether "=" followed it (then `value` is its value).
  let word = '';
  let value = '';
  let hasValue = false;
  let expectValue = false;
  const tx = (): MegacoTransaction | null => (stack.length > 0 ? stack[stack.length - 1].tx : null);
  const leaf = (): void => {
    if (word === '') return;
    place(stack, word, value, tx());
    word = '';
    value = '';
    hasValue = false;
  };
  while (p < end) {
    if (++tokens > MAX_TOKENS) return msg;
    const c = b[p];
    if (isSpace(c)) {
      p++;
      continue;
    }
    if (c === 0x3b) {
      // a comment runs to the end of the line
      while (p < end && b[p] !== 0x0a) p++;
      continue;
    }
    if (c === 0x3d) {
      expectValue = true;
      p++;
      continue;
    }
    if (c === 0x2c) {
      leaf();
      p++;
      continue;
    }
    if (c === 0x7b) {
      p++;
      if (stack.length >= MAX_DEPTH) return 'too_deep';
      const name = word.toLowerCase();
      const parentTx = tx();
      const frame: Frame = { name, value: hasValue ? value : '', tx: parentTx };
      word = '';
      value = '';
      hasValue = false;
      if (stack.length === 0) {
        const kind = TRANSACTIONS[name];
        if (kind !== undefined) {
          frame.tx = { kind, id: frame.value, contexts: [], commands: [], errors: [], observed_events: [], media: [], media_addresses: [] };
          if (msg.transactions.length < MAX_ITEMS) msg.transactions.push(frame.tx);
        }
      }
      if (name === 'local' || name === 'l' || name === 'remote' || name === 'r') {
        // SDP, verbatim up to the matching brace (SDP itself has none).
        const start = p;
        while (p < end && b[p] !== 0x7d) p++;
        if (frame.tx !== null) sdp(frame.tx, b, start, p);
        p++;
        continue;
      }
      opened(stack, frame, msg);
      stack.push(frame);
      continue;
    }
    if (c === 0x7d) {
      leaf();
      stack.pop();
      p++;
      continue;
    }
    // A word or a quoted string.
    let s: string;
    if (c === 0x22) {
      const q = p + 1;
      p = q;
      while (p < end && b[p] !== 0x22) p++;
      s = escapeBytes(b, q, Math.min(p, q + MAX_VALUE));
      p++;
    } else {
      const q = p;
      while (p < end && !isDelim(b[p])) p++;
      s = escapeBytes(b, q, Math.min(p, q + MAX_VALUE));
    }
    if (expectValue) {
      value = s;
      hasValue = true;
      expectValue = false;
    } else {
      leaf();
      word = s;
      // A quoted string inside an Error descriptor is its text.
      if (c === 0x22 && stack.length > 0) quoted(stack[stack.length - 1], s);
    }
  }
  return msg;
}

/** A descriptor opened with "{": contexts, commands, errors, and the message-level error. */
function opened(stack: Frame[], f: Frame, msg: MegacoMessage): void {
  const t = f.tx;
  const parent = stack.length > 0 ? stack[stack.length - 1].name : '';
  if (t === null) {
    if (stack.length === 0 && (f.name === 'error' || f.name === 'er')) msg.error = f.value;
    return;
  }
  if (f.name === 'context' || f.name === 'c') {
    if (t.contexts.length < MAX_ITEMS && !t.contexts.includes(f.value)) t.contexts.push(f.value);
  } else if (COMMANDS[f.name] !== undefined && (parent === 'context' || parent === 'c')) {
    if (t.commands.length < MAX_ITEMS) t.commands.push(`${COMMANDS[f.name]} ${f.value}`);
  } else if (f.name === 'error' || f.name === 'er') {
    if (t.errors.length < MAX_ITEMS) t.errors.push(f.value);
  } else if (parent === 'observedevents' || parent === 'oe') {
    event(t, f.name);
  }
}

/** A name = value (or a bare name) inside a descriptor. */
function place(stack: Frame[], name: string, value: string, t: MegacoTransaction | null): void {
  if (t === null || stack.length === 0) return;
  const parent = stack[stack.length - 1].name;
  const n = name.toLowerCase();
  if ((parent === 'context' || parent === 'c') && COMMANDS[n] !== undefined) {
    if (t.commands.length < MAX_ITEMS) t.commands.push(`${COMMANDS[n]} ${value}`);
  } else if (parent === 'observedevents' || parent === 'oe') {
    event(t, n);
  } else if (parent === 'services' || parent === 'sv') {
    const k = SERVICE_PARMS[n];
    if (k !== undefined) (t.service_change ??= {})[k] ??= value;
  }
}

/** An observed event "[timestamp:]package/event": its name, lower case. */
function event(t: MegacoTransaction, raw: string): void {
  const colon = raw.lastIndexOf(':');
  const name = (colon >= 0 ? raw.slice(colon + 1) : raw).toLowerCase();
  if (name !== '' && t.observed_events.length < MAX_ITEMS && !t.observed_events.includes(name)) t.observed_events.push(name);
}

/** The text of an Error descriptor ("code text"). */
function quoted(f: Frame, s: string): void {
  const t = f.tx;
  if (t === null || (f.name !== 'error' && f.name !== 'er')) return;
  const i = t.errors.lastIndexOf(f.value);
  if (i >= 0 && t.errors[i] === f.value) t.errors[i] = `${f.value} ${s}`;
}

/** SDP lines of a Local/Remote descriptor: media and connection addresses. */
function sdp(t: MegacoTransaction, b: Uint8Array, start: number, end: number): void {
  let p = start;
  while (p < end) {
    while (p < end && isSpace(b[p])) p++;
    let q = p;
    while (q < end && b[q] !== 0x0a && b[q] !== 0x0d) q++;
    if (q - p > 2 && b[p + 1] === 0x3d) {
      const v = escapeBytes(b, p + 2, Math.min(q, p + 2 + MAX_VALUE)).trim();
      if (b[p] === 0x6d && t.media.length < MAX_ITEMS && !t.media.includes(v)) t.media.push(v);
      if (b[p] === 0x63 && t.media_addresses.length < MAX_ITEMS) {
        const a = /^IN IP[46] (\S+)/.exec(v)?.[1];
        if (a !== undefined && !t.media_addresses.includes(a)) t.media_addresses.push(a);
      }
    }
    p = q + 1;
  }
}
