// WS-Discovery (the 2005/04 draft Windows, wsdd and ONVIF speak, and OASIS WS-Discovery 1.1,
// 2009/01) over SOAP-over-UDP, and DPWS metadata (Devices Profile for Web Services 2006/02 and
// OASIS DPWS 1.1, §5: a WS-Transfer GetResponse whose wsx:Metadata holds ThisModel, ThisDevice
// and the Relationship's Host), plus the Windows PnP-X pub:Computer element ("NAME/Workgroup:WG").
// Elements are matched on the namespace URI their prefix is bound to, never on the prefix as
// written (devices use wsd:, d:, wsdd:, ns0: …); both versions of each specification are
// accepted. Type QNames are resolved the same way, to Clark notation "{uri}local".
// Pure: bytes in, fields out.
import { child, children, clarkName, descendants, scanXml, type XmlElement } from './xml.js';

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSA_2004_NS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
export const WSA_2005_NS = 'http://www.w3.org/2005/08/addressing';
export const WSD_2005_NS = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
export const WSD_2009_NS = 'http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01';
export const MEX_NS = 'http://schemas.xmlsoap.org/ws/2004/09/mex';
export const TRANSFER_NS = 'http://schemas.xmlsoap.org/ws/2004/09/transfer';
export const DPWS_2006_NS = 'http://schemas.xmlsoap.org/ws/2006/02/devprof';
export const DPWS_2009_NS = 'http://docs.oasis-open.org/ws-dd/ns/dpws/2009/01';
export const PUB_NS = 'http://schemas.microsoft.com/windows/pub/2005/07';
export const PNPX_NS = 'http://schemas.microsoft.com/windows/pnpx/2005/10';
/** ONVIF Device Management service (ONVIF Device Management Service Specification §8.3). */
export const ONVIF_DEVICE_NS = 'http://www.onvif.org/ver10/device/wsdl';

const SOAP = [SOAP12_NS, SOAP11_NS];
const WSA = [WSA_2004_NS, WSA_2005_NS];
const WSD = [WSD_2005_NS, WSD_2009_NS];
const DPWS = [DPWS_2006_NS, DPWS_2009_NS];
const MEX = [MEX_NS];
const PUB = [PUB_NS];
const PNPX = [PNPX_NS];

/** Matches per ProbeMatches/ResolveMatches message (a discovery proxy may answer for many). */
export const MAX_MATCHES = 16;
/** Entries kept of a Types, Scopes or XAddrs list. */
export const MAX_LIST = 16;
/** Longest list entry or field value kept. */
export const MAX_VALUE = 256;
/** Metadata sections read per GetResponse. */
const MAX_SECTIONS = 16;

export type WsdAction = 'hello' | 'bye' | 'probe' | 'probe_matches' | 'resolve' | 'resolve_matches' | 'get_response' | 'onvif_device_information';

const DISCOVERY_ACTIONS: Record<string, WsdAction> = {
  Hello: 'hello',
  Bye: 'bye',
  Probe: 'probe',
  ProbeMatches: 'probe_matches',
  Resolve: 'resolve',
  ResolveMatches: 'resolve_matches',
};
const GET_RESPONSE = `${TRANSFER_NS}/GetResponse`;

/** One discovery message, or one match of a ProbeMatches/ResolveMatches. */
export interface WsdMessage {
  action: WsdAction;
  message_id?: string;
  relates_to?: string;
  endpoint?: string;
  /** Types as written ("wsdp:Device", "dn:NetworkVideoTransmitter"). */
  types?: string[];
  /** The same Types resolved to "{namespace}local" (only those whose prefix is bound). */
  type_names?: string[];
  scopes?: string[];
  xaddrs?: string[];
  metadata_version?: number;
  manufacturer?: string;
  model_name?: string;
  model_number?: string;
  friendly_name?: string;
  firmware?: string;
  serial?: string;
  /** ONVIF GetDeviceInformationResponse HardwareId. */
  hardware_id?: string;
  /** PnP-X device category ("Computers", "Printers", "MediaDevices"). */
  device_category?: string;
  computer?: string;
  workgroup?: string;
  domain?: string;
}

export interface WsdParse {
  messages: WsdMessage[];
  /** The XML was cut short or a cap was reached. */
  truncated: boolean;
}

/** 'bad': not XML; 'not_soap': XML but no SOAP envelope; 'other': a SOAP message of another kind. */
export type WsdStatus = 'bad' | 'not_soap' | 'other';

const decoder = new TextDecoder('utf-8');

function text(els: readonly XmlElement[], i: number): string | undefined {
  if (i < 0) return undefined;
  const t = els[i].text.trim();
  return t === '' ? undefined : t.slice(0, MAX_VALUE);
}

function list(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const out: string[] = [];
  for (const x of v.split(/\s+/)) {
    if (x === '') continue;
    out.push(x.slice(0, MAX_VALUE));
    if (out.length >= MAX_LIST) break;
  }
  return out.length > 0 ? out : undefined;
}

/** The Action of a message as one of ours; null for any other SOAP action. */
export function actionOf(uri: string): WsdAction | null {
  if (uri === GET_RESPONSE) return 'get_response';
  for (const ns of WSD) {
    if (uri.length > ns.length + 1 && uri.startsWith(ns) && uri.charCodeAt(ns.length) === 0x2f) {
      return DISCOVERY_ACTIONS[uri.slice(ns.length + 1)] ?? null;
    }
  }
  return null;
}

/** Types, Scopes, XAddrs, MetadataVersion and the endpoint of a Hello/Bye/Probe/Resolve/…Match element. */
function discoveryFields(els: readonly XmlElement[], i: number, m: WsdMessage): void {
  const epr = child(els, i, WSA, 'EndpointReference');
  if (epr >= 0) {
    const a = text(els, child(els, epr, WSA, 'Address'));
    if (a !== undefined) m.endpoint = a;
  }
  const ti = child(els, i, WSD, 'Types');
  putTypes(els, ti, m);
  const scopes = list(text(els, child(els, i, WSD, 'Scopes')));
  if (scopes !== undefined) m.scopes = scopes;
  const xaddrs = list(text(els, child(els, i, WSD, 'XAddrs')));
  if (xaddrs !== undefined) m.xaddrs = xaddrs;
  const mv = text(els, child(els, i, WSD, 'MetadataVersion'));
  if (mv !== undefined && /^\d{1,10}$/.test(mv)) m.metadata_version = Number(mv);
}

function putTypes(els: readonly XmlElement[], ti: number, m: WsdMessage): void {
  const types = list(text(els, ti));
  if (types === undefined) return;
  for (const t of types) {
    m.types ??= [];
    if (m.types.length >= MAX_LIST || m.types.includes(t)) continue;
    m.types.push(t);
    const c = clarkName(els, ti, t);
    if (c !== null) {
      m.type_names ??= [];
      m.type_names.push(c);
    }
  }
}

/** "NAME/Workgroup:WG" or "NAME/Domain:example.org" (PnP-X pub:Computer), split. */
export function splitComputer(v: string): { computer: string; workgroup?: string; domain?: string } {
  const slash = v.indexOf('/');
  if (slash < 0) return { computer: v };
  const r: { computer: string; workgroup?: string; domain?: string } = { computer: v.slice(0, slash) };
  const rest = v.slice(slash + 1);
  const m = /^(Workgroup|Domain):(.*)$/i.exec(rest);
  if (m !== null && m[2] !== '') {
    if (m[1].toLowerCase() === 'workgroup') r.workgroup = m[2];
    else r.domain = m[2];
  }
  return r;
}

/** DPWS §5.1–§5.3: ThisModel, ThisDevice and the hosting Relationship of a wsx:Metadata. */
function metadataFields(els: readonly XmlElement[], body: number, m: WsdMessage): void {
  const md = child(els, body, MEX, 'Metadata');
  if (md < 0) return;
  let n = 0;
  for (const sec of children(els, md)) {
    if (els[sec].local !== 'MetadataSection' || els[sec].ns !== MEX_NS || ++n > MAX_SECTIONS) continue;
    const model = child(els, sec, DPWS, 'ThisModel');
    if (model >= 0) {
      m.manufacturer ??= text(els, child(els, model, DPWS, 'Manufacturer'));
      m.model_name ??= text(els, child(els, model, DPWS, 'ModelName'));
      m.model_number ??= text(els, child(els, model, DPWS, 'ModelNumber'));
      m.device_category ??= text(els, child(els, model, PNPX, 'DeviceCategory'));
    }
    const dev = child(els, sec, DPWS, 'ThisDevice');
    if (dev >= 0) {
      m.friendly_name ??= text(els, child(els, dev, DPWS, 'FriendlyName'));
      m.firmware ??= text(els, child(els, dev, DPWS, 'FirmwareVersion'));
      m.serial ??= text(els, child(els, dev, DPWS, 'SerialNumber'));
    }
    const rel = child(els, sec, DPWS, 'Relationship');
    if (rel >= 0) {
      const host = child(els, rel, DPWS, 'Host');
      if (host >= 0) {
        const epr = child(els, host, WSA, 'EndpointReference');
        if (epr >= 0) m.endpoint ??= text(els, child(els, epr, WSA, 'Address'));
        putTypes(els, child(els, host, DPWS, 'Types'), m);
        const comp = text(els, child(els, host, PUB, 'Computer'));
        if (comp !== undefined && m.computer === undefined) Object.assign(m, splitComputer(comp));
      }
      // Hosted services name what the device does (a printer hosts a wprt:PrintDeviceType service).
      for (const h of descendants(els, rel, DPWS, 'Hosted', MAX_LIST)) putTypes(els, child(els, h, DPWS, 'Types'), m);
    }
  }
  for (const k of Object.keys(m) as (keyof WsdMessage)[]) if (m[k] === undefined) delete m[k];
}

/** Parses one SOAP envelope. The messages are ours only when its Action is a discovery or GetResponse action. */
export function parseWsd(buf: Uint8Array, off: number, len: number): WsdParse | WsdStatus {
  const doc = scanXml(decoder.decode(buf.subarray(off, off + len)));
  if (doc === 'bad') return 'bad';
  const els = doc.elements;
  if (els.length === 0 || els[0].local !== 'Envelope' || !SOAP.includes(els[0].ns)) return 'not_soap';
  const header = child(els, 0, SOAP, 'Header');
  const body = child(els, 0, SOAP, 'Body');
  // ONVIF services are SOAP over HTTP without WS-Addressing headers: the body names the answer.
  const info = body >= 0 ? child(els, body, [ONVIF_DEVICE_NS], 'GetDeviceInformationResponse') : -1;
  if (info >= 0) return { messages: [onvifDeviceInformation(els, info)], truncated: doc.truncated };
  if (header < 0) return 'other';
  const actionUri = text(els, child(els, header, WSA, 'Action'));
  const action = actionUri === undefined ? null : actionOf(actionUri);
  if (action === null) return 'other';
  const base: WsdMessage = { action };
  const mid = text(els, child(els, header, WSA, 'MessageID'));
  if (mid !== undefined) base.message_id = mid;
  const rel = text(els, child(els, header, WSA, 'RelatesTo'));
  if (rel !== undefined) base.relates_to = rel;
  const messages: WsdMessage[] = [];
  if (body < 0) return { messages: [base], truncated: doc.truncated };
  if (action === 'get_response') {
    metadataFields(els, body, base);
    messages.push(base);
  } else if (action === 'probe_matches' || action === 'resolve_matches') {
    const outer = child(els, body, WSD, action === 'probe_matches' ? 'ProbeMatches' : 'ResolveMatches');
    const inner = action === 'probe_matches' ? 'ProbeMatch' : 'ResolveMatch';
    const matches = outer < 0 ? [] : children(els, outer).filter((k) => els[k].local === inner && WSD.includes(els[k].ns));
    for (const k of matches.slice(0, MAX_MATCHES)) {
      const m: WsdMessage = { ...base };
      discoveryFields(els, k, m);
      messages.push(m);
    }
    // An empty answer still relates to the search it answers.
    if (messages.length === 0) messages.push(base);
  } else {
    const local = actionUri!.slice(actionUri!.lastIndexOf('/') + 1);
    const el = child(els, body, WSD, local);
    if (el >= 0) discoveryFields(els, el, base);
    messages.push(base);
  }
  return { messages, truncated: doc.truncated };
}

/**
 * An ONVIF GetDeviceInformationResponse (Device Management Service Specification §8.3.1):
 * Manufacturer, Model, FirmwareVersion, SerialNumber and HardwareId of the device that answers.
 */
function onvifDeviceInformation(els: readonly XmlElement[], i: number): WsdMessage {
  const m: WsdMessage = { action: 'onvif_device_information' };
  const f = (local: string): string | undefined => text(els, child(els, i, [ONVIF_DEVICE_NS], local));
  const manufacturer = f('Manufacturer');
  const model = f('Model');
  const firmware = f('FirmwareVersion');
  const serial = f('SerialNumber');
  const hardware = f('HardwareId');
  if (manufacturer !== undefined) m.manufacturer = manufacturer;
  if (model !== undefined) m.model_name = model;
  if (firmware !== undefined) m.firmware = firmware;
  if (serial !== undefined) m.serial = serial;
  if (hardware !== undefined) m.hardware_id = hardware;
  return m;
}

/** What an ONVIF device's scopes say (ONVIF Core Specification §7.3.2.2: onvif://www.onvif.org/<category>/<value>). */
export interface OnvifScopes {
  hardware?: string;
  name?: string;
  location?: string;
  types?: string[];
}

const ONVIF_SCOPE = 'onvif://www.onvif.org/';

/** Percent-decoding (RFC 3986 §2.1) that never throws: malformed escapes stay as written. */
function pctDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) bytes.push(c);
    else for (const b of Buffer.from(s[i], 'utf8')) bytes.push(b);
  }
  return decoder.decode(new Uint8Array(bytes));
}

export function onvifScopes(scopes: readonly string[]): OnvifScopes {
  const r: OnvifScopes = {};
  const loc: string[] = [];
  for (const sc of scopes) {
    if (!sc.toLowerCase().startsWith(ONVIF_SCOPE)) continue;
    const path = sc.slice(ONVIF_SCOPE.length);
    const slash = path.indexOf('/');
    if (slash <= 0) continue;
    const cat = path.slice(0, slash).toLowerCase();
    const value = pctDecode(path.slice(slash + 1)).trim();
    if (value === '') continue;
    if (cat === 'hardware') r.hardware ??= value;
    else if (cat === 'name') r.name ??= value;
    else if (cat === 'location') loc.push(value);
    else if (cat === 'type') (r.types ??= []).push(value);
  }
  if (loc.length > 0) r.location = loc.join(' ');
  return r;
}

/** IEEE 11073-20701 §9.3 location context scope "sdc.ctxt.loc:/<root>/<ext>?fac=…&bldng=…&poc=…&flr=…&rm=…&bed=…". */
export interface SdcScopes {
  location?: string;
  /** sdc.mds.pkp: participant key purposes (OIDs), e.g. 1.2.840.10004.20701.1.1 (SDC medical device). */
  pkp?: string[];
}

const SDC_LOC = 'sdc.ctxt.loc:';
const SDC_PKP = 'sdc.mds.pkp:';
const SDC_LOC_KEYS = ['fac', 'bldng', 'flr', 'poc', 'rm', 'bed'];

export function sdcScopes(scopes: readonly string[]): SdcScopes {
  const r: SdcScopes = {};
  for (const sc of scopes) {
    if (sc.startsWith(SDC_LOC) && r.location === undefined) {
      const q = sc.indexOf('?');
      if (q < 0) continue;
      const parts: string[] = [];
      const params = new Map<string, string>();
      for (const kv of sc.slice(q + 1).split('&')) {
        const eq = kv.indexOf('=');
        if (eq > 0) params.set(kv.slice(0, eq), pctDecode(kv.slice(eq + 1)));
      }
      for (const k of SDC_LOC_KEYS) {
        const v = params.get(k);
        if (v !== undefined && v !== '') parts.push(`${k}=${v}`);
      }
      if (parts.length > 0) r.location = parts.join(' ');
    } else if (sc.startsWith(SDC_PKP)) (r.pkp ??= []).push(sc.slice(SDC_PKP.length));
  }
  return r;
}
