// H.225.0's ASN.1 messages (module H323-MESSAGES, H.225.0 (12/2009) Annex H), aligned PER: the
// RasMessage of gatekeeper discovery, registration and admission (§7), and the H323-UserInformation
// a Q.931 message's User-user element carries (§7.6). Decoded only as far as the endpoint's
// identity reaches — EndpointType and its VendorIdentifier (the H.221 t35CountryCode,
// t35Extension, manufacturerCode, productId, versionId), the alias kinds, the gatekeeper and
// endpoint identifiers, the reject, release and disengage reasons — and which extension additions
// are present (tokens and cryptoTokens of H.235, fastStart, h245Tunnelling), which the presence
// bitmaps say without opening them. Dialled digits, party numbers and display names are never
// read: digits are skipped by their count, display names are extension additions left closed.
// Pure functions over one message; a PerReader is passed in and re-pointed.
import { PerReader, type PerError } from './per.js';

/** An H.221 non-standard identifier and the vendor's product strings (VendorIdentifier). */
export interface Vendor {
  t35Country: number;
  t35Extension: number;
  manufacturerCode: number;
  productId?: string;
  versionId?: string;
}

/** What an EndpointType says of a node. */
export interface Endpoint {
  vendor?: Vendor;
  /** gatekeeper, gateway, mcu, terminal: the kinds of node it declares itself. */
  types: string[];
  mc: boolean;
}

/** The aliases of a SEQUENCE OF AliasAddress: H.323-IDs kept (bounded), numbers only counted. */
export interface Aliases {
  h323Ids: string[];
  /** dialledDigits, partyNumber and isupNumber aliases: telephone numbers, never read. */
  numbers: number;
  /** url-ID, email-ID, transportID and mobileUIM aliases (counted, not kept: they can name people). */
  other: number;
}

/** H.323-IDs kept per list, and characters kept of each. */
const MAX_IDS = 8;
export const MAX_ID_CHARS = 64;
/** Items of any SEQUENCE OF read before the decoder stops (H.225.0 messages list a handful). */
const MAX_ITEMS = 256;
/** X.691 §27.5.2: 13 characters need 4 bits, a power of two already. */
const DIGIT_BITS = 4;

// The names of choices whose alternative a log line reports, root then extension alternatives.
const GRJ_REASONS = ['resourceUnavailable', 'terminalExcluded', 'invalidRevision', 'undefinedReason', 'securityDenial', 'genericDataReason', 'neededFeatureNotSupported', 'securityError'];
const RRJ_REASONS = ['discoveryRequired', 'invalidRevision', 'invalidCallSignalAddress', 'invalidRASAddress', 'duplicateAlias', 'invalidTerminalType', 'undefinedReason', 'transportNotSupported', 'transportQOSNotSupported', 'resourceUnavailable', 'invalidAlias', 'securityDenial', 'fullRegistrationRequired', 'additiveRegistrationNotSupported', 'invalidTerminalAliases', 'genericDataReason', 'neededFeatureNotSupported', 'securityError', 'registerWithAssignedGK'];
const URQ_REASONS = ['reregistrationRequired', 'ttlExpired', 'securityDenial', 'undefinedReason', 'maintenance', 'securityError', 'registerWithAssignedGK'];
const URJ_REASONS = ['notCurrentlyRegistered', 'callInProgress', 'undefinedReason', 'permissionDenied', 'securityDenial', 'securityError'];
const ARJ_REASONS = ['calledPartyNotRegistered', 'invalidPermission', 'requestDenied', 'undefinedReason', 'callerNotRegistered', 'routeCallToGatekeeper', 'invalidEndpointIdentifier', 'resourceUnavailable', 'securityDenial', 'qosControlNotSupported', 'incompleteAddress', 'aliasesInconsistent', 'routeCallToSCN', 'exceedsCallCapacity', 'collectDestination', 'collectPIN', 'genericDataReason', 'neededFeatureNotSupported', 'securityError', 'securityDHmismatch', 'noRouteToDestination', 'unallocatedNumber', 'registerWithAssignedGK'];
const BRJ_REASONS = ['notBound', 'invalidConferenceID', 'invalidPermission', 'insufficientResources', 'invalidRevision', 'undefinedReason', 'securityDenial', 'securityError'];
const DISENGAGE_REASONS = ['forcedDrop', 'normalDrop', 'undefinedReason'];
const DRJ_REASONS = ['notRegistered', 'requestToDropOther', 'securityDenial', 'securityError'];
const LRJ_REASONS = ['notRegistered', 'invalidPermission', 'requestDenied', 'undefinedReason', 'securityDenial', 'aliasesInconsistent', 'routeCalltoSCN', 'resourceUnavailable', 'genericDataReason', 'neededFeatureNotSupported', 'hopCountExceeded', 'incompleteAddress', 'securityError', 'securityDHmismatch', 'noRouteToDestination', 'unallocatedNumber'];
const RELEASE_REASONS = ['noBandwidth', 'gatekeeperResources', 'unreachableDestination', 'destinationRejection', 'invalidRevision', 'noPermission', 'unreachableGatekeeper', 'gatewayResources', 'badFormatAddress', 'adaptiveBusy', 'inConf', 'undefinedReason', 'facilityCallDeflection', 'securityDenied', 'calledPartyNotRegistered', 'callerNotRegistered', 'newConnectionNeeded', 'nonStandardReason', 'replaceWithConferenceInvite', 'genericDataReason', 'neededFeatureNotSupported', 'tunnelledSignallingRejected', 'invalidCID', 'securityError', 'hopCountExceeded'];
const FACILITY_REASONS = ['routeCallToGatekeeper', 'callForwarded', 'routeCallToMC', 'undefinedReason', 'conferenceListChoice', 'startH245', 'noH245', 'newTokens', 'featureSetUpdate', 'forwardedElements', 'transportedInformation'];

/** RasMessage's alternatives by choice index (root 0–24, then the extension alternatives), as H.225.0 abbreviates them. */
export const RAS_NAMES = ['GRQ', 'GCF', 'GRJ', 'RRQ', 'RCF', 'RRJ', 'URQ', 'UCF', 'URJ', 'ARQ', 'ACF', 'ARJ', 'BRQ', 'BCF', 'BRJ', 'DRQ', 'DCF', 'DRJ', 'LRQ', 'LCF', 'LRJ', 'IRQ', 'IRR', 'NonStandardMessage', 'XRS', 'RIP', 'RAI', 'RAC', 'IACK', 'INAK', 'SCI', 'SCR', 'ACFSequence'];
const RAS_ROOT = 25;
export const GRQ = 0;
export const RRQ = 3;
export const URQ = 6;
export const ARQ = 9;
export const BRQ = 12;
export const DRQ = 15;
export const LRQ = 18;
export const IRQ = 21;
export const IRR = 22;
export const RIP = 25;
export const RAI = 26;
export const SCI = 30;

/** h323-message-body's alternatives by choice index (root 0–6, then the extension alternatives). */
export const BODY_NAMES = ['setup', 'callProceeding', 'connect', 'alerting', 'information', 'releaseComplete', 'facility', 'progress', 'empty', 'status', 'statusInquiry', 'setupAcknowledge', 'notify'];
const BODY_ROOT = 7;

function choiceName(names: readonly string[], i: number): string {
  return names[i] ?? `extension-${i}`;
}

/** An OCTET STRING of a vendor's product text: printable ASCII up to the first NUL, or undefined. */
function productText(b: Uint8Array, at: number, len: number): string | undefined {
  let n = 0;
  while (n < len && b[at + n] !== 0) {
    const c = b[at + n];
    if (c < 0x20 || c > 0x7e) return undefined;
    n++;
  }
  if (n === 0) return undefined;
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[at + i]);
  const t = s.trim();
  return t === '' ? undefined : t;
}

/** A BMPString kept for a log: control characters dropped, cut to MAX_ID_CHARS. */
export function cleanText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length && out.length < MAX_ID_CHARS; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f && (c < 0xd800 || c > 0xdfff)) out += s[i];
  }
  return out.trim();
}

/** ProtocolIdentifier: the H.225.0 version of "0.0.8.2250.0.<v>", or undefined. */
function protocolVersion(r: PerReader): number | undefined {
  const oid = r.oid();
  if (oid === null) return undefined;
  const m = /^0\.0\.8\.2250\.0\.(\d+)$/.exec(oid);
  return m === null ? undefined : Number(m[1]);
}

function h221(r: PerReader): Vendor {
  const ext = r.bit();
  const v: Vendor = { t35Country: r.constrained(0, 255), t35Extension: r.constrained(0, 255), manufacturerCode: r.constrained(0, 65535) };
  if (ext === 1) r.skipAdditions();
  return v;
}

function nonStandardParameter(r: PerReader): void {
  const id = r.choice(2, true);
  if (id === 0) r.oid();
  else if (id === 1) h221(r);
  else r.openType();
  r.octetString(0, -1);
}

function vendorIdentifier(r: PerReader): Vendor {
  const ext = r.bit();
  const opt = r.preamble(2);
  const v = h221(r);
  if ((opt & 2) !== 0) {
    const s = r.octetString(1, 256);
    if (s !== null) v.productId = productText(r.buf, s.at, s.len);
  }
  if ((opt & 1) !== 0) {
    const s = r.octetString(1, 256);
    if (s !== null) v.versionId = productText(r.buf, s.at, s.len);
  }
  if (ext === 1) r.skipAdditions();
  return v;
}

/** SEQUENCE OF's count, or -1 when it is more than the message could hold or than MAX_ITEMS. */
function count(r: PerReader): number {
  const n = r.length();
  if (n < 0) return -1;
  if (n > MAX_ITEMS || n > r.bitsLeft()) {
    r.fail(n > r.bitsLeft() ? 'truncated' : 'unsupported');
    return -1;
  }
  return n;
}

function transportAddress(r: PerReader): void {
  const i = r.choice(7, true);
  switch (i) {
    case 0:
      r.octetString(4, 4);
      r.constrained(0, 65535);
      return;
    case 1: {
      const ext = r.bit();
      r.octetString(4, 4);
      r.constrained(0, 65535);
      const n = count(r);
      for (let k = 0; k < n && r.ok; k++) r.octetString(4, 4);
      if (r.choice(2, true) >= 2) r.openType();
      if (ext === 1) r.skipAdditions();
      return;
    }
    case 2:
      r.octetString(6, 6);
      r.octetString(4, 4);
      r.octetString(2, 2);
      return;
    case 3: {
      const ext = r.bit();
      r.octetString(16, 16);
      r.constrained(0, 65535);
      if (ext === 1) r.skipAdditions();
      return;
    }
    case 4:
      r.octetString(16, 16);
      return;
    case 5:
      r.octetString(1, 20);
      return;
    case 6:
      nonStandardParameter(r);
      return;
    default:
      r.openType();
  }
}

function transportAddresses(r: PerReader): void {
  const n = count(r);
  for (let k = 0; k < n && r.ok; k++) transportAddress(r);
}

export function emptyAliases(): Aliases {
  return { h323Ids: [], numbers: 0, other: 0 };
}

/** AliasAddress's extension alternatives: url-ID, transportID, email-ID, partyNumber, mobileUIM, isupNumber. */
const PARTY_NUMBER = 3;
const ISUP_NUMBER = 5;

function aliasAddress(r: PerReader, a: Aliases): void {
  const i = r.choice(2, true);
  if (i === 0) {
    // dialledDigits: IA5String (SIZE (1..128)) FROM ("0123456789#*,"), skipped unread.
    if (r.skipIndexedString(1, 128, DIGIT_BITS) >= 0) a.numbers++;
  } else if (i === 1) {
    const s = r.bmpString(1, 256);
    if (s !== null && a.h323Ids.length < MAX_IDS) {
      const t = cleanText(s);
      if (t !== '' && !a.h323Ids.includes(t)) a.h323Ids.push(t);
    }
  } else {
    if (r.openType() === null) return;
    if (i - 2 === PARTY_NUMBER || i - 2 === ISUP_NUMBER) a.numbers++;
    else a.other++;
  }
}

function aliases(r: PerReader, a: Aliases): void {
  const n = count(r);
  for (let k = 0; k < n && r.ok; k++) aliasAddress(r, a);
}

/** GatekeeperInfo, TerminalInfo, McuInfo and the H3xxCaps: an optional NonStandardParameter, then additions. */
function nonStandardOnly(r: PerReader): void {
  const ext = r.bit();
  if (r.preamble(1) === 1) nonStandardParameter(r);
  if (ext === 1) r.skipAdditions();
}

function gatewayInfo(r: PerReader): void {
  const ext = r.bit();
  const opt = r.preamble(2);
  if ((opt & 2) !== 0) {
    const n = count(r);
    for (let k = 0; k < n && r.ok; k++) {
      // SupportedProtocols: nine root alternatives, each an H3xxCaps-like sequence.
      if (r.choice(9, true) < 9) nonStandardOnly(r);
      else r.openType();
    }
  }
  if ((opt & 1) !== 0) nonStandardParameter(r);
  if (ext === 1) r.skipAdditions();
}

export function endpointType(r: PerReader): Endpoint {
  const ext = r.bit();
  const opt = r.preamble(6);
  const e: Endpoint = { types: [], mc: false };
  if ((opt & 32) !== 0) nonStandardParameter(r);
  if ((opt & 16) !== 0) e.vendor = vendorIdentifier(r);
  if ((opt & 8) !== 0) {
    nonStandardOnly(r);
    e.types.push('gatekeeper');
  }
  if ((opt & 4) !== 0) {
    gatewayInfo(r);
    e.types.push('gateway');
  }
  if ((opt & 2) !== 0) {
    nonStandardOnly(r);
    e.types.push('mcu');
  }
  if ((opt & 1) !== 0) {
    nonStandardOnly(r);
    e.types.push('terminal');
  }
  e.mc = r.bit() === 1;
  r.bit(); // undefinedNode
  if (ext === 1) r.skipAdditions();
  return e;
}

function qseriesOptions(r: PerReader): void {
  const ext = r.bit();
  r.bits(7);
  const ext2 = r.bit();
  r.bits(2);
  if (ext2 === 1) r.skipAdditions();
  if (ext === 1) r.skipAdditions();
}

function guid(r: PerReader): void {
  r.octetString(16, 16);
}

/** A choice whose alternatives the caller names; extension alternatives' values skipped. */
function namedChoice(r: PerReader, names: readonly string[], root: number): string {
  const i = r.choice(root, true);
  if (i >= root) r.openType();
  return choiceName(names, i);
}

/** An open type read on its own: a BOOLEAN addition's value, a BMPString addition. */
const sub = new PerReader();

function boolAddition(b: Uint8Array, at: number, len: number): boolean | undefined {
  return len >= 1 ? (b[at] & 0x80) !== 0 : undefined;
}

function bmpAddition(b: Uint8Array, at: number, len: number, ub: number): string | undefined {
  const s = sub.reset(b, at, len).bmpString(1, ub);
  return s === null ? undefined : cleanText(s);
}

/** One RAS message, decoded as far as this reader goes. */
export interface RasMessage {
  /** RasMessage's choice index (RAS_NAMES). */
  kind: number;
  name: string;
  seq?: number;
  protocolVersion?: number;
  endpoint?: Endpoint;
  /** The endpointVendor of an RRQ (its terminalType's vendor may differ, or be absent). */
  endpointVendor?: Vendor;
  aliases?: Aliases;
  gatekeeperId?: string;
  endpointId?: string;
  reason?: string;
  callModel?: string;
  keepAlive?: boolean;
  /** tokens or cryptoTokens (H.235 security) present; undefined when the decoder did not reach them. */
  h235?: boolean;
  /** The decoder stopped on purpose before the end (a structure it does not decode). */
  partial?: boolean;
  /** Damage found (`truncated`, `invalid`), or valid PER beyond the reader (`unsupported`). */
  err: PerError | null;
}

const TOKEN_ADDITIONS: Record<number, [number, number]> = {
  0: [1, 2],
  1: [2, 3],
  2: [1, 2],
  3: [2, 3],
  4: [2, 3],
  5: [1, 2],
  6: [2, 3],
  7: [0, 1],
  8: [1, 2],
  9: [5, 6],
  10: [5, 6],
  11: [1, 2],
  12: [2, 3],
  13: [0, 1],
  14: [1, 2],
  15: [2, 3],
  16: [0, 1],
  17: [1, 2],
  18: [3, 4],
  19: [5, 6],
  20: [1, 2],
  21: [1, 2],
  22: [0, 1],
  23: [0, 1],
  24: [0, 1],
};

/**
 * The extension additions of message `kind` (its extension bit was set): H.235 tokens seen, and the
 * additions this decoder opens (RRQ's keepAlive and endpointIdentifier, URQ's, ARQ's and DRQ's
 * gatekeeperIdentifier, URQ's reason).
 */
function rasAdditions(r: PerReader, m: RasMessage): void {
  const bitmap = r.additionBitmap();
  if (bitmap === null) return;
  const tok = TOKEN_ADDITIONS[m.kind];
  m.h235 = tok !== undefined && (bitSet(bitmap, tok[0]) || bitSet(bitmap, tok[1]));
  for (let i = 0; i < bitmap.length && r.ok; i++) {
    if (bitmap[i] === 0) continue;
    const t = r.openType();
    if (t === null) return;
    const b = r.buf;
    if (m.kind === RRQ && i === 5) m.keepAlive = boolAddition(b, t.at, t.len);
    else if (m.kind === RRQ && i === 6) m.endpointId ??= bmpAddition(b, t.at, t.len, 128);
    else if ((m.kind === URQ || m.kind === DRQ) && i === 1) m.gatekeeperId ??= bmpAddition(b, t.at, t.len, 128);
    else if (m.kind === ARQ && i === 4) m.gatekeeperId ??= bmpAddition(b, t.at, t.len, 128);
    else if (m.kind === URQ && i === 5) {
      const s = sub.reset(b, t.at, t.len);
      const k = s.choice(4, true);
      if (s.ok) m.reason = choiceName(URQ_REASONS, k);
    }
  }
}

function seq(r: PerReader, m: RasMessage): void {
  const v = r.constrained(1, 65535);
  if (r.ok) m.seq = v;
}

function gatekeeperId(r: PerReader, m: RasMessage): void {
  const s = r.bmpString(1, 128);
  if (s !== null) m.gatekeeperId = cleanText(s);
}

function endpointId(r: PerReader, m: RasMessage): void {
  const s = r.bmpString(1, 128);
  if (s !== null) m.endpointId = cleanText(s);
}

/** The root of RAS message `kind`; returns its extension bit (additions follow when 1), or -1 to stop. */
function rasRoot(r: PerReader, m: RasMessage): number {
  const ext = r.bit();
  switch (m.kind) {
    case 0: {
      const opt = r.preamble(4);
      seq(r, m);
      m.protocolVersion = protocolVersion(r);
      if ((opt & 8) !== 0) nonStandardParameter(r);
      transportAddress(r);
      m.endpoint = endpointType(r);
      if ((opt & 4) !== 0) gatekeeperId(r, m);
      if ((opt & 2) !== 0) qseriesOptions(r);
      m.aliases = emptyAliases();
      if ((opt & 1) !== 0) aliases(r, m.aliases);
      return ext;
    }
    case 1: {
      const opt = r.preamble(2);
      seq(r, m);
      m.protocolVersion = protocolVersion(r);
      if ((opt & 2) !== 0) nonStandardParameter(r);
      if ((opt & 1) !== 0) gatekeeperId(r, m);
      transportAddress(r);
      return ext;
    }
    case 2: {
      const opt = r.preamble(2);
      seq(r, m);
      m.protocolVersion = protocolVersion(r);
      if ((opt & 2) !== 0) nonStandardParameter(r);
      if ((opt & 1) !== 0) gatekeeperId(r, m);
      m.reason = namedChoice(r, GRJ_REASONS, 4);
      return ext;
    }
    case 3: {
      const opt = r.preamble(3);
      seq(r, m);
      m.protocolVersion = protocolVersion(r);
      if ((opt & 4) !== 0) nonStandardParameter(r);
      r.bit(); // discoveryComplete
      transportAddresses(r);
      transportAddresses(r);
      m.endpoint = endpointType(r);
      m.aliases = emptyAliases();
      if ((opt & 2) !== 0) aliases(r, m.aliases);
      if ((opt & 1) !== 0) gatekeeperId(r, m);
      m.endpointVendor = vendorIdentifier(r);
      return ext;
    }
    case 4: {
      const opt = r.preamble(3);
      seq(r, m);
      m.protocolVersion = protocolVersion(r);
      if ((opt & 4) !== 0) nonStandardParameter(r);
      transportAddresses(r);
      m.aliases = emptyAliases();
      if ((opt & 2) !== 0) aliases(r, m.aliases);
      if ((opt & 1) !== 0) gatekeeperId(r, m);
      endpointId(r, m);
      return ext;
    }
    case 5: {
      const opt = r.preamble(2);
      seq(r, m);
      m.protocolVersion = protocolVersion(r);
      if ((opt & 2) !== 0) nonStandardParameter(r);
      const i = r.choice(8, true);
      m.reason = choiceName(RRJ_REASONS, i);
      // duplicateAlias names the aliases another endpoint holds: counted into a throwaway list.
      if (i === 4) aliases(r, emptyAliases());
      else if (i >= 8) r.openType();
      if ((opt & 1) !== 0) gatekeeperId(r, m);
      return ext;
    }
    case 6: {
      const opt = r.preamble(3);
      seq(r, m);
      transportAddresses(r);
      m.aliases = emptyAliases();
      if ((opt & 4) !== 0) aliases(r, m.aliases);
      if ((opt & 2) !== 0) nonStandardParameter(r);
      if ((opt & 1) !== 0) endpointId(r, m);
      return ext;
    }
    case 8:
      r.preamble(1);
      seq(r, m);
      m.reason = namedChoice(r, URJ_REASONS, 3);
      return -1;
    case 9: {
      const opt = r.preamble(7);
      seq(r, m);
      if (r.choice(4, true) >= 4) r.openType(); // callType
      if ((opt & 64) !== 0) m.callModel = namedChoice(r, ['direct', 'gatekeeperRouted'], 2);
      endpointId(r, m);
      if ((opt & 32) !== 0) aliases(r, emptyAliases()); // destinationInfo: the called party
      if ((opt & 16) !== 0) transportAddress(r);
      if ((opt & 8) !== 0) aliases(r, emptyAliases());
      m.aliases = emptyAliases();
      aliases(r, m.aliases); // srcInfo: the caller, this endpoint
      if ((opt & 4) !== 0) transportAddress(r);
      r.constrained(0, 4294967295); // bandWidth
      r.constrained(0, 65535); // callReferenceValue
      if ((opt & 2) !== 0) nonStandardParameter(r);
      if ((opt & 1) !== 0) qseriesOptions(r);
      guid(r);
      r.bits(2); // activeMC, answerCall
      return ext;
    }
    case 10: {
      const opt = r.preamble(2);
      seq(r, m);
      r.constrained(0, 4294967295);
      m.callModel = namedChoice(r, ['direct', 'gatekeeperRouted'], 2);
      transportAddress(r);
      if ((opt & 2) !== 0) r.constrained(1, 65535);
      if ((opt & 1) !== 0) nonStandardParameter(r);
      return ext;
    }
    case 11:
      r.preamble(1);
      seq(r, m);
      m.reason = namedChoice(r, ARJ_REASONS, 8);
      return -1;
    case 14:
      r.preamble(1);
      seq(r, m);
      m.reason = namedChoice(r, BRJ_REASONS, 6);
      return -1;
    case 15: {
      const opt = r.preamble(1);
      seq(r, m);
      endpointId(r, m);
      guid(r);
      r.constrained(0, 65535);
      m.reason = namedChoice(r, DISENGAGE_REASONS, 3);
      if ((opt & 1) !== 0) nonStandardParameter(r);
      return ext;
    }
    case 17:
      r.preamble(1);
      seq(r, m);
      m.reason = namedChoice(r, DRJ_REASONS, 2);
      return -1;
    case 20:
      r.preamble(1);
      seq(r, m);
      m.reason = namedChoice(r, LRJ_REASONS, 4);
      return -1;
    case 22: {
      const opt = r.preamble(3);
      if ((opt & 4) !== 0) nonStandardParameter(r);
      seq(r, m);
      m.endpoint = endpointType(r);
      endpointId(r, m);
      transportAddress(r);
      transportAddresses(r);
      m.aliases = emptyAliases();
      if ((opt & 2) !== 0) aliases(r, m.aliases);
      // perCallInfo (RTP sessions, embedded H323-UU-PDUs) is beyond this decoder: stop before it.
      if ((opt & 1) !== 0) {
        m.partial = true;
        return -1;
      }
      return ext;
    }
    default: {
      // The rest open with their option bits and the sequence number: BRQ and IRQ and LRQ with
      // two options, UCF, BCF, DCF, LCF with one, the non-standard message and XRS with none.
      const n = m.kind === 12 || m.kind === 18 || m.kind === 21 ? 2 : m.kind === 23 || m.kind === 24 ? 0 : 1;
      r.preamble(n);
      seq(r, m);
      return -1;
    }
  }
}

/** Option bits before requestSeqNum in RasMessage's extension alternatives (RIP … SCR). */
const EXT_OPTION_BITS: Record<number, number> = { 25: 4, 26: 4, 27: 4, 28: 4, 29: 5, 30: 8, 31: 7 };

/** A RasMessage at `off`, decoded with `r` (re-pointed); null only when not even its choice index could be read. */
export function decodeRas(r: PerReader, buf: Uint8Array, off: number, len: number): RasMessage | null {
  r.reset(buf, off, len);
  const kind = r.choice(RAS_ROOT, true);
  if (!r.ok) return null;
  const m: RasMessage = { kind, name: RAS_NAMES[kind] ?? `extension-${kind - RAS_ROOT}`, err: null };
  if (kind >= RAS_ROOT) {
    const t = r.openType();
    const bits = EXT_OPTION_BITS[kind];
    if (t !== null && bits !== undefined) {
      // Each opens with its extension bit and the bitmap of all its optional root fields, then
      // requestSeqNum (ACFSequence, a SEQUENCE OF, has none).
      const s = sub.reset(buf, t.at, t.len);
      s.bit();
      s.preamble(bits);
      const v = s.constrained(1, 65535);
      if (s.ok) m.seq = v;
    }
    m.err = r.err;
    return m;
  }
  const ext = rasRoot(r, m);
  if (ext === 1 && r.ok) rasAdditions(r, m);
  else if (ext === 0 && r.ok) m.h235 = false;
  m.err = r.err;
  return m;
}

/** The H.225.0 part of one call signalling message. */
export interface UuPdu {
  /** h323-message-body's choice index (BODY_NAMES). */
  body: number;
  name: string;
  protocolVersion?: number;
  /** Setup's sourceInfo; destinationInfo of the answers. */
  endpoint?: Endpoint;
  /** Setup's sourceAddress. */
  aliases?: Aliases;
  /** ReleaseComplete's reason, Facility's reason. */
  reason?: string;
  fastStart?: boolean;
  h245Address?: boolean;
  h235?: boolean;
  h245Tunnelling?: boolean;
  /** Tunnelled H.245 messages (h245Control) present. */
  h245Control?: boolean;
  err: PerError | null;
}

/** Addition indices of tokens, cryptoTokens, fastStart and h245Address in each body's extension (-1: none). */
const BODY_ADDITIONS: Record<number, [number, number, number, number]> = {
  0: [4, 5, 6, -1],
  1: [2, 3, 4, -1],
  2: [2, 3, 4, -1],
  3: [2, 3, 4, -1],
  4: [1, 2, 3, -1],
  5: [1, 2, -1, -1],
  6: [3, 4, 7, 6],
};

function bitSet(bitmap: Uint8Array, i: number): boolean {
  return i >= 0 && i < bitmap.length && bitmap[i] === 1;
}

function bodyAdditions(r: PerReader, u: UuPdu): void {
  const bitmap = r.additionBitmap();
  if (bitmap === null) return;
  const at = BODY_ADDITIONS[u.body];
  u.h235 = bitSet(bitmap, at[0]) || bitSet(bitmap, at[1]);
  if (at[2] >= 0) u.fastStart = bitSet(bitmap, at[2]);
  if (bitSet(bitmap, at[3])) u.h245Address = true;
  for (let i = 0; i < bitmap.length && r.ok; i++) if (bitmap[i] === 1) r.openType();
}

/** The root of a root h323-message-body alternative; returns its extension bit. */
function bodyRoot(r: PerReader, u: UuPdu): number {
  const ext = r.bit();
  switch (u.body) {
    case 0: {
      const opt = r.preamble(7);
      u.protocolVersion = protocolVersion(r);
      if ((opt & 64) !== 0) {
        u.h245Address = true;
        transportAddress(r);
      }
      u.aliases = emptyAliases();
      if ((opt & 32) !== 0) aliases(r, u.aliases);
      u.endpoint = endpointType(r);
      if ((opt & 16) !== 0) aliases(r, emptyAliases()); // destinationAddress: the called party
      if ((opt & 8) !== 0) transportAddress(r);
      if ((opt & 4) !== 0) aliases(r, emptyAliases());
      if ((opt & 2) !== 0) {
        const n = count(r);
        for (let k = 0; k < n && r.ok; k++) r.constrained(0, 65535);
      }
      r.bit(); // activeMC
      guid(r);
      if (r.choice(3, true) >= 3) r.openType(); // conferenceGoal
      if ((opt & 1) !== 0) qseriesOptions(r);
      if (r.choice(4, true) >= 4) r.openType(); // callType
      return ext;
    }
    case 1:
    case 3: {
      const opt = r.preamble(1);
      u.protocolVersion = protocolVersion(r);
      u.endpoint = endpointType(r);
      if (opt === 1) {
        u.h245Address = true;
        transportAddress(r);
      }
      return ext;
    }
    case 2: {
      const opt = r.preamble(1);
      u.protocolVersion = protocolVersion(r);
      if (opt === 1) {
        u.h245Address = true;
        transportAddress(r);
      }
      u.endpoint = endpointType(r);
      guid(r);
      return ext;
    }
    case 4:
      u.protocolVersion = protocolVersion(r);
      return ext;
    case 5: {
      const opt = r.preamble(1);
      u.protocolVersion = protocolVersion(r);
      if (opt === 1) u.reason = namedChoice(r, RELEASE_REASONS, 12);
      return ext;
    }
    default: {
      const opt = r.preamble(3);
      u.protocolVersion = protocolVersion(r);
      if ((opt & 4) !== 0) transportAddress(r);
      if ((opt & 2) !== 0) aliases(r, emptyAliases());
      if ((opt & 1) !== 0) guid(r);
      u.reason = namedChoice(r, FACILITY_REASONS, 4);
      return ext;
    }
  }
}

const PROGRESS = 7;

/** Progress-UUIE (an extension alternative): its destinationInfo and root tokens and fastStart bits. */
function progress(b: Uint8Array, at: number, len: number, u: UuPdu): void {
  const s = sub.reset(b, at, len);
  s.bit();
  const opt = s.preamble(5);
  u.protocolVersion = protocolVersion(s);
  u.endpoint = endpointType(s);
  if (s.ok) {
    u.h245Address = (opt & 16) !== 0;
    u.h235 = (opt & 6) !== 0;
    u.fastStart = (opt & 1) !== 0;
  }
}

/** H323-UU-PDU's additions: h245Tunnelling (1) and h245Control (2). */
const H245_TUNNELLING = 1;
const H245_CONTROL = 2;

/** The H323-UserInformation of a User-user element's contents (after its protocol discriminator). */
export function decodeUserInformation(r: PerReader, buf: Uint8Array, off: number, len: number): UuPdu | null {
  r.reset(buf, off, len);
  r.bit(); // H323-UserInformation's extension bit: its additions follow user-data, not read
  r.bit(); // user-data present
  const uuExt = r.bit();
  const nsd = r.bit();
  const body = r.choice(BODY_ROOT, true);
  if (!r.ok) return null;
  const u: UuPdu = { body, name: BODY_NAMES[body] ?? `extension-${body - BODY_ROOT}`, err: null };
  if (body >= BODY_ROOT) {
    const t = r.openType();
    if (t !== null && body === PROGRESS) progress(buf, t.at, t.len, u);
  } else {
    const ext = bodyRoot(r, u);
    if (ext === 1 && r.ok) bodyAdditions(r, u);
    else if (ext === 0 && r.ok) {
      u.h235 = false;
      if (BODY_ADDITIONS[body][2] >= 0) u.fastStart = false;
    }
  }
  if (nsd === 1) nonStandardParameter(r);
  if (uuExt === 1 && r.ok) {
    const bitmap = r.additionBitmap();
    for (let i = 0; bitmap !== null && i < bitmap.length && r.ok; i++) {
      if (bitmap[i] === 0) continue;
      const t = r.openType();
      if (t === null) break;
      if (i === H245_TUNNELLING) u.h245Tunnelling = boolAddition(buf, t.at, t.len);
      else if (i === H245_CONTROL) u.h245Control = true;
    }
  }
  u.err = r.err;
  return u;
}

