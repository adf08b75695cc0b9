// UPnP control messages (UPnP Device Architecture 2.0 §3.2): an action is a SOAP 1.1 POST to a
// service's control URL with a SOAPACTION header "urn:…:service:<type>:<v>#<action>"; the
// envelope's Body holds one element named after the action, in the service type's namespace,
// whose children are the in-arguments; the answer's Body holds <action>Response with the
// out-arguments, or a Fault whose detail is a UPnPError (errorCode, errorDescription). TR-064
// (Broadband Forum, "urn:dslforum-org:service:…") and the Wi-Fi Alliance's WPS service use the
// same form. Pure: bytes in, a summary out; the XML scanner is the bounded one of wsd/xml.ts.
import { SOAP11_NS, SOAP12_NS } from '../wsd/parse.js';
import { child, children, scanXml, type XmlElement } from '../wsd/xml.js';

/** UDA §3.2.1's SOAPACTION value: "<service type URN>#<action name>", quoted. */
const SOAP_ACTION = /^"?(urn:[^#"\s]{1,200}:service:[^#"\s]{1,200})#([A-Za-z0-9_.-]{1,128})"?$/;
/** UDA §3.2.2's fault detail namespace. */
export const UPNP_CONTROL_NS = 'urn:schemas-upnp-org:control-1-0';
/** Arguments read per message (an IGD action has at most eight; WLANConfiguration's getters a dozen or two). */
export const MAX_ARGS = 32;
/** Characters kept of an argument's value. */
export const MAX_VALUE = 256;

/** The service type and action a SOAPACTION header names, or null when it is no UPnP-style action. */
export function soapAction(v: string): { service: string; action: string } | null {
  const m = SOAP_ACTION.exec(v.trim());
  return m === null ? null : { service: m[1], action: m[2] };
}

export interface UpnpMessage {
  /** An action invoked, its answer, or a fault. */
  kind: 'request' | 'response' | 'fault';
  /** The action's name ('' for a fault, which names none). */
  action: string;
  /** The service type (the action element's namespace; '' for a fault). */
  service: string;
  /** Arguments in document order (name → value, value trimmed and capped). */
  args: Map<string, string>;
  /** More argument elements than MAX_ARGS. */
  argsTruncated: boolean;
  errorCode?: number;
  errorDescription?: string;
  /** The scanner stopped early (the body was cut, or longer than it reads). */
  truncated: boolean;
}

/** 'bad': not XML; 'not_soap': XML but no SOAP envelope; 'other': an envelope with no action or fault in its Body. */
export type UpnpStatus = 'bad' | 'not_soap' | 'other';

const decoder = new TextDecoder('utf-8');
const SOAP = [SOAP11_NS, SOAP12_NS];

function value(els: readonly XmlElement[], i: number): string {
  const t = els[i].text.trim();
  return t.length > MAX_VALUE ? t.slice(0, MAX_VALUE) : t;
}

/** Parses one control message body. */
export function parseUpnpSoap(buf: Uint8Array, off: number, len: number): UpnpMessage | UpnpStatus {
  const doc = scanXml(decoder.decode(buf.subarray(off, off + len)));
  if (doc === 'bad') return 'bad';
  const els = doc.elements;
  if (els.length === 0 || els[0].local !== 'Envelope' || !SOAP.includes(els[0].ns)) return 'not_soap';
  const body = child(els, 0, SOAP, 'Body');
  if (body < 0) return 'other';
  const first = children(els, body)[0];
  if (first === undefined) return 'other';
  const el = els[first];
  if (el.local === 'Fault' && SOAP.includes(el.ns)) return fault(els, first, doc.truncated);
  // UDA requires the service type's namespace on the action element; one without a namespace is
  // still read (some stacks drop it), its service then known only from the header.
  const args = new Map<string, string>();
  let argsTruncated = false;
  for (const k of children(els, first)) {
    if (args.size >= MAX_ARGS) {
      argsTruncated = true;
      break;
    }
    if (!args.has(els[k].local)) args.set(els[k].local, value(els, k));
  }
  const isResponse = el.local.length > 8 && el.local.endsWith('Response');
  return {
    kind: isResponse ? 'response' : 'request',
    action: isResponse ? el.local.slice(0, -8) : el.local,
    service: el.ns,
    args,
    argsTruncated,
    truncated: doc.truncated,
  };
}

/** A SOAP Fault: UDA §3.2.2 puts the UPnP error in detail/UPnPError. */
function fault(els: readonly XmlElement[], f: number, truncated: boolean): UpnpMessage {
  const m: UpnpMessage = { kind: 'fault', action: '', service: '', args: new Map(), argsTruncated: false, truncated };
  const detail = els.findIndex((e, k) => k > f && e.parent === f && e.local === 'detail');
  const err = detail < 0 ? -1 : child(els, detail, [UPNP_CONTROL_NS], 'UPnPError');
  if (err >= 0) {
    const code = child(els, err, [UPNP_CONTROL_NS], 'errorCode');
    const desc = child(els, err, [UPNP_CONTROL_NS], 'errorDescription');
    if (code >= 0 && /^\d{1,4}$/.test(value(els, code))) m.errorCode = Number(value(els, code));
    if (desc >= 0 && value(els, desc) !== '') m.errorDescription = value(els, desc);
  }
  return m;
}
