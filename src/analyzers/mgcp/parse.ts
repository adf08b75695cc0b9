// MGCP 1.0 (RFC 3435): the text protocol by which a call agent (Cisco Unified CM, a softswitch)
// drives the endpoints of media gateways (analog lines "aaln/…", trunks "ds/ds1-1/1") over UDP:
// gateways listen on 2427, call agents on 2727 (§3.6), though Cisco runs both ends on 2427.
// A command is "VERB transaction-id endpoint@domain MGCP 1.0 [profile]" (§3.2.1), a response
// "code transaction-id [commentary]" (§3.3); parameter lines "Name: value" follow (§3.2.2),
// then, after an empty line, session descriptions (SDP, RFC 4566; §3.4). Several messages may
// share one datagram, each ended by a line holding a single "." (§3.5.5). Lines end in CR LF or
// LF (§3.1); a bare CR is taken as well, since some senders use it.
// Pure: bytes → messages; every string and list kept is bounded. Digits of dialled numbers,
// which observed events and signals may carry (the DTMF package, RFC 3660 §2.2), are never kept:
// such an event is written by its package alone ("D/1234" → "D").
import { mediaSummary, parseSdp } from '../rtp/sdp.js';

export const MGCP_GATEWAY_PORT = 2427;
export const MGCP_CALL_AGENT_PORT = 2727;

/** Messages read from one datagram (piggy-backing is for a few related messages). */
const MAX_MESSAGES = 16;
/** Lines of one datagram read. */
const MAX_LINES = 512;
/** Characters kept of a value; of one event or codec name. */
const MAX_VALUE = 128;
const MAX_NAME = 48;
/** Items kept per list (events, codecs, media). */
const MAX_ITEMS = 16;
/** The first line of a message: longer is not MGCP. */
const MAX_FIRST_LINE = 512;

/** RFC 3435 §2.3's commands; vendor verbs begin with X (§3.2.1.1), and PacketCable NCS adds MESG. */
const VERBS = new Set(['EPCF', 'CRCX', 'MDCX', 'DLCX', 'RQNT', 'NTFY', 'AUEP', 'AUCX', 'RSIP', 'MESG']);
/** The letters a command line can begin with. */
export const VERB_FIRST_LETTERS = 'ECMDRNAX';

export interface MgcpParams {
  /** C: the call the connection belongs to (hexadecimal, §3.2.2.2). */
  callId?: string;
  /** I: a connection identifier (in an AUEP reply, the endpoint's list of them). */
  connectionId?: string;
  /** X: the request identifier notifications echo. */
  requestId?: string;
  /** N: where notifications go ("ca@ca1.example.net:5678"). */
  notifiedEntity?: string;
  /** M: the connection mode (an AUEP reply lists the modes the endpoint supports). */
  mode?: string;
  /** R, S, O: event and signal names (see eventNames). */
  requestedEvents?: string[];
  signals?: string[];
  observedEvents?: string[];
  /** RM, RD: a RestartInProgress's restart method and delay in seconds (§2.3.12). */
  restartMethod?: string;
  restartDelay?: number;
  /** E: a reason code and its text (a gateway's DLCX or RSIP). */
  reasonCode?: string;
  /** Z: the endpoint a wildcarded command chose. */
  specificEndpoint?: string;
  /** P: connection statistics (packets, octets, loss, jitter, latency) of a DLCX or AUCX reply. */
  connectionParams?: string;
  /** The `a:` codecs of L: lines (LocalConnectionOptions, §3.2.2.10). */
  localCodecs: string[];
  /** The `a:` codecs of A: lines (Capabilities, §3.2.2.14). */
  capabilityCodecs: string[];
}

export interface MgcpMessage {
  kind: 'command' | 'response';
  /** Command verb, upper case; '' for a response. */
  verb: string;
  /** Command endpoint name as written ("aaln/S2/1@vg224", "*@gateway44.example.net"); '' for a response. */
  endpoint: string;
  /** "MGCP 1.0", with a profile when one follows ("MGCP 1.0 NCS 1.0"); '' for a response. */
  version: string;
  /** Response code 000–999; -1 for a command. */
  code: number;
  /** A response's commentary. */
  commentary: string;
  transactionId: string;
  params: MgcpParams;
  /** SDP media as "audio PCMU PCMA", and where each is received ("10.0.0.5:16384"). */
  media: string[];
  mediaAddresses: string[];
}

export interface MgcpDatagram {
  messages: MgcpMessage[];
  /** A weird for damage after the first message was read (bad parameter line, too many messages). */
  damage?: string;
}

interface CommandLine {
  verb: string;
  transactionId: string;
  endpoint: string;
  version: string;
}

interface ResponseLine {
  code: number;
  transactionId: string;
  commentary: string;
}

const COMMAND_RE = /^([A-Za-z][A-Za-z0-9]{3})[ \t]+(\d{1,9})[ \t]+(\S{1,255}@\S{1,255})[ \t]+(MGCP)[ \t]+(\d{1,2}\.\d{1,2})(?:[ \t]+(\S.{0,63}?))?[ \t]*$/i;
const RESPONSE_RE = /^(\d{3})[ \t]+(\d{1,9})(?:[ \t]+(.*?))?[ \t]*$/;

/** "RQNT 1 aaln/1@gw MGCP 1.0" → its parts; null when the line is not a command line. */
export function parseCommandLine(line: string): CommandLine | null {
  if (line.length > MAX_FIRST_LINE) return null;
  const m = COMMAND_RE.exec(line);
  if (m === null) return null;
  const verb = m[1].toUpperCase();
  if (!VERBS.has(verb) && verb[0] !== 'X') return null;
  const profile = m[6] !== undefined ? ` ${m[6]}` : '';
  return { verb, transactionId: m[2], endpoint: m[3].slice(0, MAX_VALUE), version: `MGCP ${m[5]}${profile}` };
}

/** "200 1203 OK" → its parts; null when the line is not a response line. */
export function parseResponseLine(line: string): ResponseLine | null {
  if (line.length > MAX_FIRST_LINE) return null;
  const m = RESPONSE_RE.exec(line);
  if (m === null) return null;
  return { code: Number(m[1]), transactionId: m[2], commentary: (m[3] ?? '').slice(0, MAX_VALUE) };
}

/** The domain of an endpoint name: what follows its last "@" ("vg224", "[10.0.0.1]"), without a port. */
export function endpointDomain(endpoint: string): string {
  const at = endpoint.lastIndexOf('@');
  if (at < 0) return '';
  const d = endpoint.slice(at + 1);
  if (d.startsWith('[')) return d;
  const colon = d.indexOf(':');
  return colon >= 0 ? d.slice(0, colon) : d;
}

/** Lines of a datagram: CR LF, LF or a bare CR ends each. */
function splitLines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length && out.length < MAX_LINES) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) {
      out.push(s.slice(start, i));
      i += c === 13 && s.charCodeAt(i + 1) === 10 ? 2 : 1;
      start = i;
    } else i++;
  }
  if (start < s.length && out.length < MAX_LINES) out.push(s.slice(start));
  return out;
}

/** Splits a list at commas outside parentheses ("L/hd(N),D/[0-9](D)"). */
function topLevelItems(v: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < v.length && out.length < MAX_ITEMS; i++) {
    const c = v[i];
    if (c === '(') depth++;
    else if (c === ')') depth = depth > 0 ? depth - 1 : 0;
    else if (c === ',' && depth === 0) {
      out.push(v.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (out.length < MAX_ITEMS) out.push(v.slice(start).trim());
  return out.filter((x) => x !== '');
}

/** An event or signal name that is dialled digits (DTMF or MF: 0-9 * # A-D, a timer T, wildcard X). */
const DIGITS_RE = /^[0-9*#A-Da-dTtXx]*[0-9*#][0-9*#A-Da-dTtXx]*$/;

/**
 * Event or signal names of an R, S or O value, bounded. Parameters in parentheses are dropped
 * (a caller-id signal's number and name, §3.2.2.5), except a requested event's plain actions
 * ("L/hd(N)"); an event that is digits is written by its package alone ("D/9121234" → "D", bare
 * digits → "D").
 */
export function eventNames(v: string, keepActions: boolean): string[] {
  const out: string[] = [];
  for (const item of topLevelItems(v)) {
    const paren = item.indexOf('(');
    let name = (paren >= 0 ? item.slice(0, paren) : item).trim();
    const at = name.indexOf('@');
    const bare = at >= 0 ? name.slice(0, at) : name;
    const slash = bare.lastIndexOf('/');
    if (DIGITS_RE.test(bare.slice(slash + 1))) name = slash >= 0 ? bare.slice(0, slash) : 'D';
    else if (keepActions && paren >= 0 && item.endsWith(')') && item.indexOf('(', paren + 1) < 0) name = `${name}${item.slice(paren)}`;
    name = name.slice(0, MAX_NAME);
    if (name !== '' && !out.includes(name)) out.push(name);
  }
  return out;
}

/** The codec names of a LocalConnectionOptions or Capabilities value's `a:` ("a:PCMU;G729, p:20" → PCMU, G729). */
export function codecNames(v: string, into: string[]): void {
  for (const part of v.split(',')) {
    const t = part.trim();
    if (!/^a\s*:/i.test(t)) continue;
    for (const c of t.slice(t.indexOf(':') + 1).split(';')) {
      const name = c.trim().slice(0, MAX_NAME);
      if (name !== '' && into.length < MAX_ITEMS && !into.includes(name)) into.push(name);
    }
  }
}

const PARAM_RE = /^([A-Za-z][A-Za-z0-9]{0,2}|[Xx][+-][A-Za-z0-9-]{1,32})[ \t]*:[ \t]*(.*?)[ \t]*$/;

/** Applies one parameter line; false when the line is not "Name: value". */
function applyParam(p: MgcpParams, line: string): boolean {
  const m = PARAM_RE.exec(line);
  if (m === null) return false;
  const v = m[2];
  const short = v.slice(0, MAX_VALUE);
  switch (m[1].toUpperCase()) {
    case 'C':
      p.callId = short;
      break;
    case 'I':
      p.connectionId = short;
      break;
    case 'X':
      p.requestId = short;
      break;
    case 'N':
      p.notifiedEntity = short;
      break;
    case 'M':
      p.mode = short;
      break;
    case 'R':
      p.requestedEvents = eventNames(v, true);
      break;
    case 'S':
      p.signals = eventNames(v, false);
      break;
    case 'O':
      p.observedEvents = eventNames(v, false);
      break;
    case 'RM':
      p.restartMethod = short;
      break;
    case 'RD':
      if (/^\d{1,9}$/.test(v)) p.restartDelay = Number(v);
      break;
    case 'E':
      p.reasonCode = short;
      break;
    case 'Z':
      p.specificEndpoint = short;
      break;
    case 'P':
      p.connectionParams = short;
      break;
    case 'L':
      codecNames(v, p.localCodecs);
      break;
    case 'A':
      codecNames(v, p.capabilityCodecs);
      break;
  }
  return true;
}

/** The SDP of one or more session descriptions (an empty line separates two, §3.4). */
function applySdp(msg: MgcpMessage, lines: string[]): void {
  if (lines.length === 0) return;
  for (const d of parseSdp(lines.join('\n'))) {
    const media = mediaSummary(d);
    if (msg.media.length < MAX_ITEMS && !msg.media.includes(media)) msg.media.push(media);
    if (d.addr === '' || d.port === 0) continue;
    const a = d.addr.includes(':') ? `[${d.addr}]:${d.port}` : `${d.addr}:${d.port}`;
    if (msg.mediaAddresses.length < MAX_ITEMS && !msg.mediaAddresses.includes(a)) msg.mediaAddresses.push(a);
  }
}

/** A message from its first line, with no parameters yet; null when the line opens no MGCP message. */
function openMessage(line: string): MgcpMessage | null {
  const params: MgcpParams = { localCodecs: [], capabilityCodecs: [] };
  const c = parseCommandLine(line);
  if (c !== null) return { kind: 'command', verb: c.verb, endpoint: c.endpoint, version: c.version, code: -1, commentary: '', transactionId: c.transactionId, params, media: [], mediaAddresses: [] };
  const r = parseResponseLine(line);
  if (r !== null) return { kind: 'response', verb: '', endpoint: '', version: '', code: r.code, commentary: r.commentary, transactionId: r.transactionId, params, media: [], mediaAddresses: [] };
  return null;
}

/**
 * Parses one datagram. Returns its messages, or a weird name when the first line opens none
 * ('bad_first_line'); damage after that is reported beside the messages read.
 */
export function parseMgcp(buf: Uint8Array, off: number, len: number): MgcpDatagram | string {
  const text = Buffer.from(buf.buffer, buf.byteOffset + off, len).toString('latin1');
  const lines = splitLines(text);
  const out: MgcpDatagram = { messages: [] };
  let i = 0;
  while (i < lines.length) {
    // Empty lines between piggy-backed messages (after a ".") are not messages.
    if (lines[i].trim() === '') {
      i++;
      continue;
    }
    if (out.messages.length >= MAX_MESSAGES) {
      out.damage ??= 'too_many_messages';
      break;
    }
    const msg = openMessage(lines[i]);
    if (msg === null) {
      if (out.messages.length === 0) return 'bad_first_line';
      out.damage ??= 'bad_first_line';
      break;
    }
    out.messages.push(msg);
    i++;
    // Parameter lines, up to an empty line (SDP follows) or "." (the next message follows).
    while (i < lines.length && lines[i] !== '' && lines[i] !== '.') {
      if (!applyParam(msg.params, lines[i])) out.damage ??= 'bad_parameter_line';
      i++;
    }
    if (i < lines.length && lines[i] === '') {
      i++;
      let sdp: string[] = [];
      while (i < lines.length && lines[i] !== '.') {
        if (lines[i] === '') {
          applySdp(msg, sdp);
          sdp = [];
        } else sdp.push(lines[i]);
        i++;
      }
      applySdp(msg, sdp);
    }
    // Past the "." separator.
    if (i < lines.length && lines[i] === '.') i++;
  }
  return out;
}
