// UPnP control inside HTTP: a request whose SOAPACTION header names a UPnP-style action
// (parse.ts) has its body kept (bounded) by the HTTP analyzer, and so has its answer; when the
// transaction ends the two become one upnp.action event. Argument values are kept only for the
// fields events.ts names; an argument that carries a secret (a PPP password, a Wi-Fi passphrase
// or WEP key set through WANPPPConnection, WLANConfiguration or TR-064) becomes a credential
// event, as a keyed digest, and its value is never logged.
import { origHost, respHost } from '../connid.js';
import { secretDigest } from '../secret.js';
import type { AnalyzerContext } from '../types.js';
import { BodyBytes, type BodyTap, type BodyTapSpec, type TapTx } from '../http/bodytap.js';
import type { UpnpActionEvent, UpnpDeviceEvent } from './events.js';
import { parseUpnpSoap, type UpnpMessage } from './parse.js';
import { looksLikeDescription, parseUpnpDescription, type UpnpDescription } from './description.js';

/** Body bytes kept: an IGD action is under 1 KB; a WLANConfiguration answer a few KB. */
const MAX_BODY = 16 * 1024;
/** Argument names listed per action. */
const MAX_NAMES = 16;
/** Argument names whose values are secrets (UPnP WLANConfiguration:1, WANPPPConnection:1, TR-064). */
const SECRET_ARG = /pass(word|phrase)|psk|wepkey|presharedkey|secret|keypassphrase/i;

export class UpnpTap implements BodyTap {
  private readonly body = new BodyBytes(MAX_BODY);

  add(b: Uint8Array, off: number, n: number): void {
    this.body.add(b, off, n);
  }

  /** The parsed message, or null (with a weird) when the body holds none. */
  summary(ctx: AnalyzerContext): UpnpMessage | null {
    if (this.body.len === 0) return null;
    const m = parseUpnpSoap(this.body.buf, 0, this.body.len);
    if (typeof m !== 'object') {
      ctx.weird(m === 'bad' ? 'upnp.bad_xml' : m === 'not_soap' ? 'upnp.not_soap' : 'upnp.no_action');
      return null;
    }
    if (m.truncated) ctx.weird('upnp.truncated_message');
    if (m.argsTruncated) ctx.weird('upnp.too_many_arguments');
    return m;
  }
}

const int = (v: string | undefined): number | undefined => (v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : undefined);
const IP_PROTOCOLS: Record<string, string> = { '6': 'TCP', '17': 'UDP', '132': 'SCTP', '33': 'DCCP', '136': 'UDPLite' };

/** The mapping's fields from one message's arguments, where the event has none yet. */
function mappingFields(ev: UpnpActionEvent, a: Map<string, string>): void {
  const put = <K extends keyof UpnpActionEvent>(k: K, v: UpnpActionEvent[K] | undefined): void => {
    if (v !== undefined && ev[k] === undefined) ev[k] = v;
  };
  const text = (k: string): string | undefined => {
    const v = a.get(k);
    return v === undefined || v === '' ? undefined : v;
  };
  // IGD's WANIPConnection/WANPPPConnection names, then WANIPv6FirewallControl's.
  put('remote_host', text('NewRemoteHost') ?? text('RemoteHost'));
  put('remote_port', int(a.get('RemotePort')));
  put('external_port', int(a.get('NewExternalPort')));
  const proto = text('NewProtocol') ?? text('Protocol');
  put('protocol', proto === undefined ? undefined : (IP_PROTOCOLS[proto] ?? proto.toUpperCase()));
  put('internal_client', text('NewInternalClient') ?? text('InternalClient'));
  put('internal_port', int(a.get('NewInternalPort') ?? a.get('InternalPort')));
  const en = text('NewEnabled');
  put('enabled', en === undefined ? undefined : en === '1' || en.toLowerCase() === 'true');
  put('description', text('NewPortMappingDescription'));
  put('lease_duration', int(a.get('NewLeaseDuration') ?? a.get('LeaseTime')));
  put('reserved_port', int(a.get('NewReservedPort')));
  put('external_ip', text('NewExternalIPAddress'));
  put('pinhole_id', int(a.get('UniqueID')));
}

export function upnpAction(ctx: AnalyzerContext, tx: TapTx, req: UpnpMessage | null, resp: UpnpMessage | null): UpnpActionEvent {
  const c = ctx.conn;
  const action = req?.action ?? (resp !== null && resp.kind === 'response' ? resp.action : undefined) ?? tx.soapAction?.action ?? '';
  const service = req?.service || (resp?.kind === 'response' ? resp.service : '') || tx.soapAction?.service || '';
  const code = tx.statusCode;
  const result = resp?.kind === 'response' && (code === undefined || code < 300) ? 'success' : resp !== null || code !== undefined ? 'error' : 'no_response';
  const ev: UpnpActionEvent = { type: 'upnp.action', tsSec: tx.tsSec, tsNsec: tx.tsNsec, packet: tx.packet, host: respHost(c), host_p: c.rPort, client: origHost(c), action, result };
  if (tx.uri !== undefined) ev.uri = tx.uri;
  if (service !== '') ev.service = service;
  if (code !== undefined) ev.status_code = code;
  if (resp?.errorCode !== undefined) ev.error_code = resp.errorCode;
  if (resp?.errorDescription !== undefined) ev.error_description = resp.errorDescription;
  if (req !== null) {
    mappingFields(ev, req.args);
    if (req.args.size > 0) ev.arguments = [...req.args.keys()].slice(0, MAX_NAMES);
  }
  if (resp !== null && resp.kind === 'response') mappingFields(ev, resp.args);
  return ev;
}

/** Secrets among a request's arguments, as credential events (digest only). */
function credentials(ctx: AnalyzerContext, req: UpnpMessage, ev: UpnpActionEvent): void {
  const user = req.args.get('NewUserName') ?? req.args.get('NewX_AVM-DE_UserName') ?? '';
  for (const [k, v] of req.args) {
    if (v === '' || !SECRET_ARG.test(k)) continue;
    const cred: Record<string, unknown> = { type: 'credential', protocol: 'upnp', user, secret: secretDigest(v), field: k };
    if (ev.result === 'success') cred.success = true;
    else if (ev.result === 'error') cred.success = false;
    ctx.emit(cred as { type: string });
  }
}

/** UPnP actions travel as HTTP POSTs chosen by their SOAPACTION header, not by media type (text/xml). */
export const UPNP_TAP: BodyTapSpec = {
  mediaType: '',
  create: () => new UpnpTap(),
  transaction(ctx, tx, request, response) {
    const req = request as UpnpMessage | null;
    // A request that was no action (a stray POST) is one only if the answer says so.
    if (req !== null && req.kind !== 'request') return;
    const ev = upnpAction(ctx, tx, req, response as UpnpMessage | null);
    if (ev.action === '') return;
    ctx.confirm('upnp');
    ctx.emit(ev);
    if (req !== null) credentials(ctx, req, ev);
  },
};

/** Bytes kept of a device description: most are 2–10 KB. */
const MAX_DESCRIPTION = 32 * 1024;
/** Bytes of an XML answer looked at before deciding it is no device description. */
const SNIFF = 1024;
const NOT_YET = 0;
const DESCRIPTION = 1;
const OTHER = 2;

/**
 * The answer to a GET of an XML document: kept only when its first kilobyte shows the UPnP
 * device namespace (the LOCATION an SSDP announcement gave), else let go at once.
 */
export class DescriptionTap implements BodyTap {
  private readonly body = new BodyBytes(MAX_DESCRIPTION);
  private state: number = NOT_YET;

  add(b: Uint8Array, off: number, n: number): void {
    if (this.state === OTHER) return;
    if (this.state === NOT_YET && this.body.len + n >= SNIFF) {
      const head = SNIFF - this.body.len;
      this.body.add(b, off, head);
      if (this.decide()) this.body.add(b, off + head, n - head);
      return;
    }
    this.body.add(b, off, n);
  }

  /** Decides from the bytes so far; true when they are a description. */
  private decide(): boolean {
    this.state = looksLikeDescription(this.body.buf, 0, this.body.len) ? DESCRIPTION : OTHER;
    if (this.state === OTHER) this.body.buf = new Uint8Array(0);
    return this.state === DESCRIPTION;
  }

  summary(ctx: AnalyzerContext): UpnpDescription | null {
    if (this.state === OTHER || (this.state === NOT_YET && !this.decide())) return null;
    const d = parseUpnpDescription(this.body.buf, 0, this.body.len);
    if (d === null) {
      ctx.weird('upnp.bad_description');
      return null;
    }
    if (d.truncated) ctx.weird('upnp.truncated_description');
    return d;
  }
}

/** Device descriptions travel as answers to GETs, in text/xml or application/xml (UDA §2.11). */
export const UPNP_DESCRIPTION_TAP: BodyTapSpec = {
  mediaType: '',
  create: () => new DescriptionTap(),
  transaction(ctx, tx, _request, response) {
    if (response === null) return;
    const d = response as UpnpDescription;
    const c = ctx.conn;
    // Dated by the answer's last packet, which holds the description (the request only asked).
    const m = ctx.packet;
    const ev: UpnpDeviceEvent = { ...d, type: 'upnp.device', tsSec: m.tsSec, tsNsec: m.tsNsec, packet: m.packetNo, host: respHost(c), host_p: c.rPort };
    delete (ev as { truncated?: boolean }).truncated;
    if (tx.uri !== undefined) ev.uri = tx.uri;
    ctx.confirm('upnp');
    ctx.emit(ev);
  },
};
