// Per-flow HTTP/1.x state (RFC 9112): each direction walks start line → fields → body, with
// bodies measured and skipped (Content-Length, chunked, or until close) rather than buffered,
// so the only memory per direction is one partial line (MAX_LINE). Requests queue up in order
// (pipelining, §9.3.2) and each response answers the oldest one still open.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { latin1, LineCursor, origHost, respHost, wireText } from '../textproto.js';
import { REDACTED, secretDigest } from '../secret.js';
import { fhirTarget, redactFhirQuery, type FhirTarget } from './fhir.js';
import { dicomwebTarget, isDicomMediaType, redactDicomwebQuery, type DicomwebTarget } from './dicomweb.js';
import type { HttpTransaction } from './events.js';
import { IPP_TAP } from '../ipp/tap.js';
import { SOAP_TAP } from '../wsd/tap.js';
import { HL7_TAPS } from '../hl7/tap.js';
import { UPNP_DESCRIPTION_TAP, UPNP_TAP } from '../upnp/tap.js';
import { soapAction } from '../upnp/parse.js';
import type { BodyTap, BodyTapSpec } from './bodytap.js';
import { FileTap, type FileOpen } from '../files/file.js';
import { MultipartTap } from '../files/multipart.js';
import { dispositionFilename, multipartBoundary } from '../files/params.js';
import {
  MAX_LINE,
  challengeSchemes,
  isChunked,
  isFoldedLine,
  isVersion,
  mediaType,
  parseAuthorization,
  parseChunkSize,
  parseContentLength,
  parseField,
  parseRequestLine,
  parseStatusLine,
  unescapeUri,
} from './parse.js';

const S_START = 0;
const S_HEADERS = 1;
const S_BODY = 2;
const S_CHUNK_SIZE = 3;
const S_CHUNK_DATA = 4;
const S_CHUNK_END = 5;
const S_TRAILERS = 6;
const S_UNTIL_CLOSE = 7;
/** CONNECT tunnels and protocol upgrades: the bytes are no longer HTTP. */
const S_TUNNEL = 8;

/** Requests waiting for their response before the oldest is given up. */
const MAX_PENDING = 64;
/** Fields looked at per message; more are skipped (their framing still counts). */
const MAX_FIELDS = 256;
/** Lines that are not a start line in a row before a direction is given up as not HTTP. */
const MAX_BAD_START = 8;
/** The beginning of " HTTP/d.d" at the end of a request line cut short. */
const CUT_VERSION_RE = /[ \t]+H(?:T(?:T(?:P(?:\/\d?\.?)?)?)?)?$/;
/** Lines skipped looking for a message start after a gap lost the framing, before giving up on the side. */
const MAX_RESYNC_LINES = 4096;
/** Longest header value kept in a log field. */
const MAX_VALUE = 2048;
/** Distinct media types kept per response. */
const MAX_MIME = 8;

const STATUS_SWITCHING = 101;
const STATUS_NO_CONTENT = 204;
const STATUS_NOT_MODIFIED = 304;
const STATUS_UNAUTHORIZED = 401;
const STATUS_FORBIDDEN = 403;
/** Protocols carried in HTTP bodies, by media type (IPP, DPWS metadata over SOAP 1.2). */
const BODY_TAPS: ReadonlyMap<string, BodyTapSpec> = new Map([IPP_TAP, SOAP_TAP, ...HL7_TAPS].map((t) => [t.mediaType, t]));

/** Media types of XML documents (RFC 7303 §4): a GET answered with one may be a UPnP device description. */
const XML_TYPES: ReadonlySet<string> = new Set(['text/xml', 'application/xml']);

/**
 * The protocol a body of this media type carries: one registered for it, or, for an XML answer to
 * a GET, perhaps a UPnP device description (its first kilobyte decides).
 */
function bodyTapFor(type: string | null, isOrig: boolean, tx: Tx): BodyTapSpec | null {
  if (type === null) return null;
  return BODY_TAPS.get(type) ?? (!isOrig && tx.method === 'GET' && XML_TYPES.has(type) ? UPNP_DESCRIPTION_TAP : null);
}

/** Starts keeping the message's body for `spec`; false when there is none. */
function tapBody(s: Side, spec: BodyTapSpec | null): boolean {
  if (spec === null) return false;
  s.tapSpec = spec;
  s.tap = spec.create();
  return true;
}

/** A tapped body's protocol and what it said. */
interface BodySummary {
  spec: BodyTapSpec;
  summary: unknown;
}

class Tx {
  tsSec = 0;
  tsNsec = 0;
  packet = 0;
  depth = 0;
  method?: string;
  host?: string;
  uri?: string;
  referrer?: string;
  reqVersion?: string;
  respVersion?: string;
  userAgent?: string;
  origin?: string;
  reqBodyLen = 0;
  respBodyLen = 0;
  statusCode?: number;
  /** A UPnP-style control action the SOAPACTION header names: both bodies are kept (upnp/tap.ts). */
  soapAction?: { service: string; action: string };
  statusMsg?: string;
  infoCode?: number;
  infoMsg?: string;
  username?: string;
  /** Keyed digest of a Basic password; the password itself is never kept. */
  secret?: string;
  authScheme?: string;
  wwwAuth?: string[];
  server?: string;
  mime?: string[];
  /** Files the bodies carried (files.log) and the file names Content-Disposition gave them. */
  origFuids?: string[];
  respFuids?: string[];
  /** File names of the request's multipart parts (Zeek's orig_filenames). */
  origFilenames?: string[];
  respFilename?: string;
  hasRequest = false;
  /** The FHIR resource the request addresses (HL7 FHIR REST). */
  fhir: FhirTarget | null = null;
  /** The DICOMweb service the request addresses (PS3.18). */
  dicomweb: DicomwebTarget | null = null;
  /** The request body is DICOM (application/dicom, or multipart/related of type application/dicom…). */
  reqDicom = false;
  /**
   * Sent to a forward proxy (CONNECT, or an absolute-form target, RFC 9112 §3.2.2-3): the Host and
   * the answer's Server header are the origin's, not the proxy's.
   */
  proxied = false;
  /** Tapped bodies (IPP, SOAP): what the request and the response said. */
  bodyRequest: BodySummary | null = null;
  bodyResponse: BodySummary | null = null;
  /** WebSocket opening handshake (RFC 6455 §4): the request's Upgrade, protocols and extensions, the answer's choice. */
  upgrade?: string;
  wsClientProtocols?: string[];
  wsClientExtensions?: string[];
  wsSubprotocol?: string;
  wsServerExtensions?: string[];
}

/** A comma-separated header value as a bounded list of trimmed items. */
function headerList(v: string): string[] {
  return v.split(',').map((x) => x.trim()).filter((x) => x !== '').slice(0, 16).map((x) => x.slice(0, 128));
}

class Side {
  readonly cur = new LineCursor(MAX_LINE);
  state = S_START;
  remaining = 0;
  bodyLen = 0;
  fields = 0;
  badStart = 0;
  /**
   * A gap lost this side's framing: lines are skipped quietly until one starts a message (the
   * rest of a message whose headers the gap cut, or a capture's snap length, is no anomaly).
   */
  resync = false;
  resyncLines = 0;
  /** Framing decided from this message's fields. */
  contentLength: number | null = null;
  chunked = false;
  /** Last field name seen, for obs-fold continuation lines. */
  lastField = '';
  tx: Tx | null = null;
  /** The current message's body is of a tapped media type: its first bytes are kept (bounded) to be parsed. */
  tap: BodyTap | null = null;
  tapSpec: BodyTapSpec | null = null;
  /** The current message's body as a file (hashes, media type: files.log), or its parts as files. */
  file: FileTap | MultipartTap | null = null;
  /** A multipart body's boundary: its parts are the files (as Zeek's HTTP MIME handling has them). */
  boundary: string | null = null;
  /** Content-Encoding the file is decoded from (one coding; stacked or other codings are hashed as sent). */
  encoding: 'gzip' | 'deflate' | null = null;
}

/** A request target in absolute form (RFC 9112 §3.2.2): sent to a forward proxy. */
function isAbsoluteForm(uri: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(uri);
}

export class HttpAnalyzer implements FlowAnalyzer {
  private readonly orig = new Side();
  private readonly resp = new Side();
  private readonly pending: Tx[] = [];
  private depth = 0;
  /** Files opened on this connection (their fuids derive from it). */
  private files = 0;
  private confirmed = false;
  private lastUa = '';
  private lastServer = '';

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const s = isOrig ? this.orig : this.resp;
    if (s.state === S_TUNNEL) return;
    const cur = s.cur;
    cur.load(buf, off, len);
    for (;;) {
      const st = s.state;
      if (st === S_BODY || st === S_CHUNK_DATA) {
        const p0 = cur.pos;
        const k = cur.skip(s.remaining);
        if (s.tap !== null) s.tap.add(cur.b, p0, k);
        if (s.file !== null) s.file.add(ctx, cur.b, p0, k);
        s.remaining -= k;
        s.bodyLen += k;
        if (s.remaining > 0) break;
        if (st === S_BODY) this.messageDone(ctx, s, isOrig);
        else s.state = S_CHUNK_END;
        continue;
      }
      if (st === S_UNTIL_CLOSE || st === S_TUNNEL) {
        const p0 = cur.pos;
        const k = cur.skip(cur.avail());
        if (st === S_UNTIL_CLOSE) {
          if (s.tap !== null) s.tap.add(cur.b, p0, k);
          if (s.file !== null) s.file.add(ctx, cur.b, p0, k);
        }
        s.bodyLen += k;
        break;
      }
      const line = cur.line();
      if (line === null) break;
      if (st === S_START) this.startLine(ctx, s, isOrig, line);
      else if (st === S_HEADERS) this.fieldLine(ctx, s, isOrig, line);
      else if (st === S_CHUNK_SIZE || st === S_CHUNK_END) {
        // The CRLF closing a chunk's data arrives as an empty line (§7.1).
        if (st === S_CHUNK_END && line === '') {
          s.state = S_CHUNK_SIZE;
          continue;
        }
        const n = parseChunkSize(line);
        if (n === null) {
          ctx.weird('http.bad_chunk_size');
          s.state = S_UNTIL_CLOSE;
        } else if (n === 0) s.state = S_TRAILERS;
        else {
          s.remaining = n;
          s.state = S_CHUNK_DATA;
        }
      } else if (st === S_TRAILERS) {
        if (line === '') this.messageDone(ctx, s, isOrig);
      }
      if (s.state === S_TUNNEL) break;
    }
    if (cur.overflows > 0 && s.resync) cur.overflows = 0;
    else if (cur.overflows > 0) {
      ctx.weird('http.line_too_long');
      cur.overflows = 0;
    }
    cur.save();
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    const s = isOrig ? this.orig : this.resp;
    if (s.state === S_TUNNEL) return;
    ctx.weird('http.content_gap');
    // Whatever the gap hit before the body's end (its data or its chunk framing), the file lost
    // bytes: with a Content-Length, no more than the body had left.
    if (s.file !== null && s.state !== S_TRAILERS) s.file.gap(s.state === S_BODY ? Math.min(len, s.remaining) : len);
    if ((s.state === S_BODY || s.state === S_CHUNK_DATA) && len <= s.remaining) {
      s.remaining -= len;
      s.bodyLen += len;
      if (s.remaining === 0) {
        if (s.state === S_BODY) this.messageDone(ctx, s, isOrig);
        else s.state = S_CHUNK_END;
      }
      return;
    }
    if (s.state === S_UNTIL_CLOSE || s.state === S_TUNNEL) {
      s.bodyLen += len;
      return;
    }
    // A request line the gap cut (a capture's snap length ends most requests inside it): its
    // method and the target's beginning are still what was asked, as tshark shows them.
    if (isOrig && s.state === S_START && !s.resync) {
      const part = s.cur.partial();
      if (part !== null) this.startLine(ctx, s, true, latin1(part, 0, part.length), true);
    }
    // Lost inside framing: drop the partial line and look for the next start line.
    s.cur.reset();
    if (s.state !== S_START) this.messageDone(ctx, s, isOrig);
    s.state = S_START;
    s.resync = true;
    s.resyncLines = 0;
  }

  end(ctx: AnalyzerContext): void {
    // A body cut short (or delimited by the close itself) counts what was seen.
    if (this.resp.tx !== null && this.resp.state !== S_HEADERS) {
      this.resp.tx.respBodyLen = this.resp.bodyLen;
      this.tappedBody(ctx, this.resp, this.resp.tx, false);
      this.closeFile(ctx, this.resp, this.resp.tx, false, this.resp.state !== S_UNTIL_CLOSE);
    }
    if (this.orig.tx !== null && this.orig.state !== S_HEADERS) {
      this.orig.tx.reqBodyLen = this.orig.bodyLen;
      this.tappedBody(ctx, this.orig, this.orig.tx, true);
      this.closeFile(ctx, this.orig, this.orig.tx, true, this.orig.state !== S_UNTIL_CLOSE);
    }
    const open = this.pending.splice(0);
    const rtx = this.resp.tx;
    if (rtx !== null && !open.includes(rtx)) open.push(rtx);
    open.sort((a, b) => a.depth - b.depth);
    for (const tx of open) this.finish(ctx, tx);
    this.orig.tx = null;
    this.resp.tx = null;
  }

  /** `cut`: the line's end was lost in a gap (no weird for it; its version, if any, is unknown). */
  private startLine(ctx: AnalyzerContext, s: Side, isOrig: boolean, line: string, cut = false): void {
    // RFC 9112 §2.2: a server ignores empty lines before a request line; so do we, both ways.
    if (line === '') return;
    const m = ctx.packet;
    if (isOrig) {
      const r = parseRequestLine(line);
      if (r === null) {
        if (!cut) this.badStart(ctx, s);
        return;
      }
      const tx = new Tx();
      tx.depth = ++this.depth;
      tx.tsSec = m.tsSec;
      tx.tsNsec = m.tsNsec;
      tx.packet = m.packetNo;
      tx.method = r.method;
      // A cut line may end inside its version: " HTTP/1." is not the target's.
      const uri = unescapeUri(cut ? r.uri.replace(CUT_VERSION_RE, '') : r.uri);
      const fhir = fhirTarget(uri);
      const dw = fhir === null ? dicomwebTarget(r.method, uri) : null;
      // FHIR and QIDO-RS searches name the patient in their query: logged (and kept) without the values.
      tx.uri = (fhir !== null ? redactFhirQuery(uri, REDACTED) : dw !== null ? redactDicomwebQuery(uri, REDACTED) : uri).slice(0, MAX_VALUE);
      if (fhir !== null) tx.fhir = fhir;
      if (dw !== null) tx.dicomweb = dw;
      tx.proxied = r.method === 'CONNECT' || isAbsoluteForm(r.uri);
      if (!cut) {
        tx.reqVersion = r.version;
        if (!isVersion(r.version)) ctx.weird('http.bad_version');
      } else if (isVersion(r.version)) tx.reqVersion = r.version;
      tx.hasRequest = true;
      if (this.pending.length >= MAX_PENDING) {
        ctx.weird('http.too_many_pending_requests');
        const old = this.pending.shift()!;
        if (this.resp.tx === old) this.resp.tx = null;
        this.finish(ctx, old);
      }
      this.pending.push(tx);
      this.begin(ctx, s, tx);
      // HTTP/0.9 simple requests have no fields and no body.
      if (r.version === '0.9' && !cut) this.messageDone(ctx, s, true);
    } else {
      const r = parseStatusLine(line);
      if (r === null) return this.badStart(ctx, s);
      let tx = this.pending.find((t) => t.statusCode === undefined || t === this.resp.tx) ?? null;
      if (tx === null) {
        // A response with no request seen (capture started mid-connection).
        tx = new Tx();
        tx.depth = ++this.depth;
        tx.tsSec = m.tsSec;
        tx.tsNsec = m.tsNsec;
        tx.packet = m.packetNo;
        this.pending.push(tx);
      }
      if (r.code >= 100 && r.code < 200 && r.code !== STATUS_SWITCHING) {
        tx.infoCode = r.code;
        tx.infoMsg = r.msg;
      } else {
        tx.statusCode = r.code;
        tx.statusMsg = r.msg;
      }
      tx.respVersion = r.version;
      this.begin(ctx, s, tx);
    }
  }

  private begin(ctx: AnalyzerContext, s: Side, tx: Tx): void {
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('http');
    }
    s.badStart = 0;
    s.resync = false;
    s.tx = tx;
    s.tap = null;
    s.tapSpec = null;
    s.file = null;
    s.encoding = null;
    s.boundary = null;
    s.state = S_HEADERS;
    s.fields = 0;
    s.bodyLen = 0;
    s.contentLength = null;
    s.chunked = false;
    s.lastField = '';
  }

  private badStart(ctx: AnalyzerContext, s: Side): void {
    if (s.resync) {
      // Bounded: a side that never finds its way back is left alone.
      if (++s.resyncLines >= MAX_RESYNC_LINES) s.state = S_TUNNEL;
      return;
    }
    ctx.weird('http.bad_start_line');
    if (++s.badStart >= MAX_BAD_START) s.state = S_TUNNEL;
  }

  private fieldLine(ctx: AnalyzerContext, s: Side, isOrig: boolean, line: string): void {
    if (line === '') return this.headersDone(ctx, s, isOrig);
    const tx = s.tx!;
    if (isFoldedLine(line)) {
      // Only the fields we log are worth unfolding; the rest of a folded value is skipped.
      const v = line.trim();
      if (s.lastField === 'user-agent' && tx.userAgent !== undefined) tx.userAgent = (tx.userAgent + ' ' + v).slice(0, MAX_VALUE);
      else if (s.lastField === 'server' && tx.server !== undefined) tx.server = (tx.server + ' ' + v).slice(0, MAX_VALUE);
      return;
    }
    if (++s.fields > MAX_FIELDS) {
      if (s.fields === MAX_FIELDS + 1) ctx.weird('http.too_many_fields');
      return;
    }
    const f = parseField(line);
    if (f === null) {
      ctx.weird('http.bad_field_line');
      s.lastField = '';
      return;
    }
    const name = f.name.toLowerCase();
    const v = wireText(f.value);
    s.lastField = name;
    if (name === 'content-type') s.boundary = multipartBoundary(v);
    if (name === 'content-length') {
      const n = parseContentLength(v);
      if (n === null) ctx.weird('http.bad_content_length');
      else s.contentLength = n;
    } else if (name === 'transfer-encoding') {
      if (isChunked(v)) s.chunked = true;
    } else if (name === 'content-encoding') {
      const e = v.trim().toLowerCase();
      s.encoding = e === 'gzip' || e === 'x-gzip' ? 'gzip' : e === 'deflate' ? 'deflate' : null;
    } else if (name === 'content-type' && s.tap === null && tapBody(s, bodyTapFor(mediaType(v), isOrig, tx))) {
      if (!isOrig) this.responseField(ctx, tx, name, v);
    } else if (isOrig) this.requestField(ctx, tx, name, v);
    else this.responseField(ctx, tx, name, v);
  }

  private requestField(ctx: AnalyzerContext, tx: Tx, name: string, v: string): void {
    switch (name) {
      case 'host':
        tx.host = v.slice(0, MAX_VALUE);
        break;
      case 'soapaction': {
        const a = soapAction(v);
        if (a !== null) tx.soapAction = a;
        break;
      }
      case 'referer':
        tx.referrer = v.slice(0, MAX_VALUE);
        break;
      case 'origin':
        tx.origin = v.slice(0, MAX_VALUE);
        break;
      case 'user-agent':
        tx.userAgent = v.slice(0, MAX_VALUE);
        break;
      case 'upgrade':
        tx.upgrade = v.slice(0, MAX_VALUE).toLowerCase();
        break;
      case 'sec-websocket-protocol':
        tx.wsClientProtocols = [...(tx.wsClientProtocols ?? []), ...headerList(v)].slice(0, 16);
        break;
      case 'sec-websocket-extensions':
        tx.wsClientExtensions = [...(tx.wsClientExtensions ?? []), ...headerList(v)].slice(0, 16);
        break;
      case 'content-type':
        if (tx.dicomweb !== null && /application\/dicom/i.test(v)) tx.reqDicom = true;
        break;
      case 'authorization':
      case 'proxy-authorization': {
        const a = parseAuthorization(v);
        if (a === null) {
          ctx.weird('http.bad_authorization');
          break;
        }
        tx.authScheme = a.scheme;
        if (a.user !== undefined) tx.username = a.user;
        if (a.password !== undefined) tx.secret = secretDigest(a.password);
        if (a.blob !== undefined) ctx.emit({ type: 'http.auth_blob', scheme: a.scheme, blob: a.blob, isOrig: true });
        break;
      }
    }
  }

  private responseField(ctx: AnalyzerContext, tx: Tx, name: string, v: string): void {
    switch (name) {
      case 'server':
        tx.server = v.slice(0, MAX_VALUE);
        break;
      case 'sec-websocket-protocol':
        tx.wsSubprotocol = v.slice(0, 128);
        break;
      case 'sec-websocket-extensions':
        tx.wsServerExtensions = [...(tx.wsServerExtensions ?? []), ...headerList(v)].slice(0, 16);
        break;
      case 'content-type': {
        const t = mediaType(v);
        if (t !== null) {
          tx.mime ??= [];
          if (!tx.mime.includes(t) && tx.mime.length < MAX_MIME) tx.mime.push(t);
        }
        break;
      }
      case 'content-disposition': {
        const f = dispositionFilename(v);
        if (f !== null) tx.respFilename = f;
        break;
      }
      case 'www-authenticate':
      case 'proxy-authenticate': {
        tx.wwwAuth ??= [];
        for (const sch of challengeSchemes(v)) if (!tx.wwwAuth.includes(sch) && tx.wwwAuth.length < MAX_MIME) tx.wwwAuth.push(sch);
        // A server's NTLM/Negotiate challenge carries a token too (RFC 4559 §4.2).
        const m = /^(NTLM|Negotiate)[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(v);
        if (m !== null) ctx.emit({ type: 'http.auth_blob', scheme: m[1].toLowerCase(), blob: m[2], isOrig: false });
        break;
      }
    }
  }

  /** End of the field section: announce software and choose how the body is delimited (§6.3). */
  private headersDone(ctx: AnalyzerContext, s: Side, isOrig: boolean): void {
    const tx = s.tx!;
    const c = ctx.conn;
    // A UPnP action's request and answer are text/xml: kept because of the request's SOAPACTION.
    if (tx.soapAction !== undefined && s.tap === null) tapBody(s, UPNP_TAP);
    if (isOrig) {
      if (tx.userAgent !== undefined && tx.userAgent !== '' && tx.userAgent !== this.lastUa) {
        this.lastUa = tx.userAgent;
        ctx.emit({ type: 'software', host: origHost(c), software_type: 'HTTP::BROWSER', unparsed_version: tx.userAgent });
      }
      if (s.chunked) s.state = S_CHUNK_SIZE;
      else if (s.contentLength !== null && s.contentLength > 0) {
        s.remaining = s.contentLength;
        s.state = S_BODY;
      } else this.messageDone(ctx, s, true);
      if (s.state !== S_START) this.openFile(ctx, s, tx, true);
      return;
    }
    if (tx.server !== undefined && tx.server !== '' && tx.server !== this.lastServer) {
      this.lastServer = tx.server;
      const ev: Record<string, unknown> = { type: 'software', host: respHost(c), host_p: c.rPort, software_type: 'HTTP::SERVER', unparsed_version: tx.server };
      // A forward proxy passes the origin server's Server header on: logged against the proxy's
      // address as Zeek does, but marked so the inventory and assessment do not credit the proxy.
      if (tx.proxied) ev.proxied = true;
      ctx.emit(ev as { type: string });
    }
    const code = tx.statusCode;
    if (code === undefined) {
      // An interim (1xx) response: no body; the final response follows.
      s.state = S_START;
      return;
    }
    if (code === STATUS_SWITCHING || (tx.method === 'CONNECT' && code >= 200 && code < 300)) {
      this.messageDone(ctx, s, false);
      this.orig.state = S_TUNNEL;
      this.resp.state = S_TUNNEL;
      // A proxy tunnel carries another protocol (TLS, mostly): the engine probes its bytes. An
      // upgrade (WebSocket, h2c) stays unparsed; a WebSocket one is logged as Zeek's websocket.log.
      if (tx.method === 'CONNECT') ctx.emit({ type: 'http.tunnel' });
      else if (code === STATUS_SWITCHING && tx.upgrade !== undefined && /\bwebsocket\b/.test(tx.upgrade)) this.websocket(ctx, tx);
      return;
    }
    if (tx.method === 'HEAD' || code === STATUS_NO_CONTENT || code === STATUS_NOT_MODIFIED) this.messageDone(ctx, s, false);
    else if (s.chunked) s.state = S_CHUNK_SIZE;
    else if (s.contentLength !== null) {
      if (s.contentLength === 0) this.messageDone(ctx, s, false);
      else {
        s.remaining = s.contentLength;
        s.state = S_BODY;
      }
    } else s.state = S_UNTIL_CLOSE;
    if (s.state !== S_START) this.openFile(ctx, s, tx, false);
  }

  /** A body follows: it is a file (Zeek's file analysis of HTTP entities). */
  private openFile(ctx: AnalyzerContext, s: Side, tx: Tx, isOrig: boolean): void {
    const o: FileOpen = { source: 'HTTP', isOrig, depth: tx.depth };
    if (s.contentLength !== null && !s.chunked) o.total = s.contentLength;
    if (!isOrig && tx.respFilename !== undefined) o.filename = tx.respFilename;
    if (tx.uri !== undefined) o.url = tx.uri;
    if (s.encoding !== null) o.encoding = s.encoding;
    // DICOMweb transactions are judged by the DICOMweb rules (http.dicomweb): not twice.
    if (tx.dicomweb !== null) o.checkPatient = false;
    s.file = s.boundary !== null && s.encoding === null ? new MultipartTap(o, s.boundary, () => this.files++) : new FileTap(ctx, o, this.files++);
  }

  /** The body ended (or the connection did): its files.file event, and its fuid on the transaction. */
  private closeFile(ctx: AnalyzerContext, s: Side, tx: Tx, isOrig: boolean, cutShort = false): void {
    const f = s.file;
    if (f === null) return;
    s.file = null;
    // One file, or a multipart body's parts (each with its own name).
    const closed = f instanceof MultipartTap ? f.close(ctx, cutShort) : [f.close(ctx, cutShort)];
    for (const ev of closed) {
      if (ev === null) continue;
      if (!isOrig) (tx.respFuids ??= []).push(ev.fuid);
      else {
        (tx.origFuids ??= []).push(ev.fuid);
        if (ev.filename !== undefined) (tx.origFilenames ??= []).push(ev.filename);
      }
    }
  }

  /** A WebSocket connection opened (RFC 6455 §4.2.2: 101 answering an Upgrade: websocket request). */
  private websocket(ctx: AnalyzerContext, tx: Tx): void {
    ctx.confirm('websocket');
    const ev: Record<string, unknown> = { type: 'websocket.handshake', tsSec: tx.tsSec, tsNsec: tx.tsNsec, packet: tx.packet };
    if (tx.host !== undefined) ev.host = tx.host;
    if (tx.uri !== undefined) ev.uri = tx.uri;
    if (tx.userAgent !== undefined) ev.user_agent = tx.userAgent;
    if (tx.wsSubprotocol !== undefined) ev.subprotocol = tx.wsSubprotocol;
    if (tx.wsClientProtocols !== undefined) ev.client_protocols = tx.wsClientProtocols;
    if (tx.wsClientExtensions !== undefined) ev.client_extensions = tx.wsClientExtensions;
    if (tx.wsServerExtensions !== undefined) ev.server_extensions = tx.wsServerExtensions;
    ctx.emit(ev as { type: string });
  }

  /**
   * DICOMweb: the service, once the path or a DICOM media type confirms it, and which side sent
   * DICOM content (patient data) — the server answering a search or retrieval with DICOM, JSON or
   * XML metadata, or the client storing instances the server accepted.
   */
  private dicomweb(ev: Record<string, unknown>, tx: Tx): void {
    const dw = tx.dicomweb!;
    const dicomAnswer = tx.mime !== undefined && tx.mime.some(isDicomMediaType);
    if (!dw.strong && !dicomAnswer && !tx.reqDicom) return;
    ev.dicomweb = dw.service;
    const code = tx.statusCode ?? 0;
    if (code < 200 || code >= 300) return;
    if (dw.service === 'STOW-RS') {
      if (tx.reqDicom && tx.reqBodyLen > 0) ev.dicomweb_patient_data_from = 'client';
    } else if (tx.respBodyLen > 0 && (dicomAnswer || (dw.strong && dw.service === 'WADO-RS' && tx.mime?.includes('multipart/related') === true))) {
      ev.dicomweb_patient_data_from = 'server';
    }
  }

  private messageDone(ctx: AnalyzerContext, s: Side, isOrig: boolean): void {
    const tx = s.tx;
    s.state = S_START;
    s.tx = null;
    if (tx === null) return;
    this.tappedBody(ctx, s, tx, isOrig);
    this.closeFile(ctx, s, tx, isOrig);
    if (isOrig) {
      tx.reqBodyLen = s.bodyLen;
      return;
    }
    tx.respBodyLen = s.bodyLen;
    if (tx.statusCode === undefined) return;
    const i = this.pending.indexOf(tx);
    if (i >= 0) this.pending.splice(i, 1);
    // A pipelined request still being sent stays open on the request side.
    if (this.orig.tx === tx) {
      tx.reqBodyLen = this.orig.bodyLen;
    }
    this.finish(ctx, tx);
  }

  /** A tapped body kept while the message went by: parsed once the message (or the connection) ends. */
  private tappedBody(ctx: AnalyzerContext, s: Side, tx: Tx, isOrig: boolean): void {
    const tap = s.tap;
    const spec = s.tapSpec;
    if (tap === null || spec === null) return;
    s.tap = null;
    s.tapSpec = null;
    const summary = tap.summary(ctx, isOrig);
    if (summary === null) return;
    if (isOrig) tx.bodyRequest = { spec, summary };
    else tx.bodyResponse = { spec, summary };
  }

  private finish(ctx: AnalyzerContext, tx: Tx): void {
    const ev: HttpTransaction = {
      type: 'http.transaction',
      tsSec: tx.tsSec,
      tsNsec: tx.tsNsec,
      packet: tx.packet,
      trans_depth: tx.depth,
      request_body_len: tx.reqBodyLen,
      response_body_len: tx.respBodyLen,
      password_sent: tx.secret !== undefined,
    };
    if (tx.method !== undefined) ev.method = tx.method;
    if (tx.host !== undefined) ev.host = tx.host;
    if (tx.uri !== undefined) ev.uri = tx.uri;
    if (tx.proxied) ev.proxied = true;
    if (tx.referrer !== undefined) ev.referrer = tx.referrer;
    const version = tx.respVersion ?? tx.reqVersion;
    if (version !== undefined) ev.version = version;
    if (tx.userAgent !== undefined) ev.user_agent = tx.userAgent;
    if (tx.origin !== undefined) ev.origin = tx.origin;
    if (tx.statusCode !== undefined) ev.status_code = tx.statusCode;
    if (tx.statusMsg !== undefined) ev.status_msg = tx.statusMsg;
    if (tx.infoCode !== undefined) ev.info_code = tx.infoCode;
    if (tx.infoMsg !== undefined) ev.info_msg = tx.infoMsg;
    if (tx.username !== undefined) ev.username = tx.username;
    if (tx.authScheme !== undefined) ev.auth_scheme = tx.authScheme;
    if (tx.wwwAuth !== undefined) ev.www_authenticate = tx.wwwAuth;
    if (tx.server !== undefined) ev.server = tx.server;
    if (tx.origFuids !== undefined) ev.orig_fuids = tx.origFuids;
    if (tx.respFuids !== undefined) ev.resp_fuids = tx.respFuids;
    if (tx.origFilenames !== undefined) ev.orig_filenames = tx.origFilenames;
    if (tx.respFilename !== undefined) ev.resp_filenames = [tx.respFilename];
    if (tx.mime !== undefined) ev.resp_mime_types = tx.mime;
    if (tx.fhir !== null) {
      ev.fhir_resource = tx.fhir.resource;
      if (tx.fhir.patientData) ev.fhir_patient_data = true;
    }
    if (tx.dicomweb !== null) this.dicomweb(ev, tx);
    ctx.emit(ev);
    // One event per transaction, of the protocol the response (else the request) carried.
    const spec = (tx.bodyResponse ?? tx.bodyRequest)?.spec;
    if (spec !== undefined) {
      const req = tx.bodyRequest?.spec === spec ? tx.bodyRequest.summary : null;
      const resp = tx.bodyResponse?.spec === spec ? tx.bodyResponse.summary : null;
      spec.transaction(ctx, tx, req, resp);
    }
    if (tx.secret !== undefined) {
      const code = tx.statusCode;
      const cred: Record<string, unknown> = { type: 'credential', protocol: 'http', user: tx.username ?? '', secret: tx.secret };
      if (code !== undefined && code >= 200 && code < 400) cred.success = true;
      else if (code === STATUS_UNAUTHORIZED || code === STATUS_FORBIDDEN) cred.success = false;
      ctx.emit(cred as { type: string });
    }
  }
}
