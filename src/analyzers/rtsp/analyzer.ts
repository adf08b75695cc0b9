// Per-flow RTSP state (RFC 2326, RFC 7826): each direction walks start line → header fields →
// body, and between messages steps over interleaved binary frames ("$", channel, 16-bit length;
// RFC 2326 §10.12, RFC 7826 §14) by their length. Bodies are skipped by Content-Length, except
// an SDP description (a DESCRIBE's answer, an ANNOUNCE), whose first MAX_SDP bytes are kept in
// the direction's one reused buffer: its session name, the tool that wrote it (a=tool, often the
// streaming library and its version: LIVE555, GStreamer, VLC) and its media and codecs name what
// the server is. Otherwise a direction holds at most one partial line. Either side
// may send requests (a server's ANNOUNCE, SET_PARAMETER, PLAY_NOTIFY); a response answers the
// other side's request with the same CSeq (RFC 2326 §12.17).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { latin1, LineCursor, origHost, respHost, wireText } from '../textproto.js';
import { secretDigest } from '../secret.js';
import { isFoldedLine, mediaType, parseAuthorization, parseContentLength, parseField } from '../http/parse.js';
import type { RtspTransaction } from './events.js';
import { INTERLEAVED_HEADER, INTERLEAVED_MAGIC, MAX_LINE, parseRequestLine, parseStatusLine, parseTransport, sessionId, stripUserinfo } from './parse.js';
import type { MediaAnnounce } from '../rtp/events.js';
import { isSecureProfile, mediaSummary, parseSdp, sdpSession } from '../rtp/sdp.js';

const S_START = 0;
const S_HEADERS = 1;
const S_BODY = 2;
const S_FRAME = 3;
/** Not RTSP any more (too many bad start lines): the rest of the direction is ignored. */
const S_LOST = 4;

/** Requests per direction waiting for their response before the oldest is given up. */
const MAX_PENDING = 32;
/** Fields looked at per message; more are skipped. */
const MAX_FIELDS = 128;
/** Lines that are not a start line in a row before a direction is given up. */
const MAX_BAD_START = 8;
/** Longest header value or URI kept in a log field. */
const MAX_VALUE = 1024;
/** CSeq is a decimal sequence number; longer digit strings are not one. */
const CSEQ_RE = /^\d{1,9}$/;

/** Bytes of an SDP body kept (descriptions are a few hundred bytes; a camera's with many tracks, 2–3 KB). */
const MAX_SDP = 8192;
const SDP_TYPE = 'application/sdp';

const STATUS_UNAUTHORIZED = 401;
const STATUS_FORBIDDEN = 403;

class Tx {
  tsSec = 0;
  tsNsec = 0;
  packet = 0;
  isOrig = true;
  method?: string;
  uri?: string;
  version?: string;
  cseq?: number;
  userAgent?: string;
  authScheme?: string;
  username?: string;
  /** Keyed digest of a Basic password; the password itself is never kept. */
  secret?: string;
  uriUser?: string;
  uriSecret?: string;
  session?: string;
  transport?: string;
  contentType?: string;
  statusCode?: number;
  statusMsg?: string;
  server?: string;
  respSession?: string;
  respTransport?: string;
  respContentType?: string;
  sdpSession?: string;
  sdpTool?: string;
  media?: string[];
}

class Side {
  readonly cur = new LineCursor(MAX_LINE);
  state = S_START;
  remaining = 0;
  fields = 0;
  badStart = 0;
  contentLength = 0;
  lastField = '';
  /** The message being read: a request (pending on this side) or a response (matched at its end). */
  tx: Tx | null = null;
  isResponse = false;
  /** This side's requests not yet answered, oldest first. */
  readonly pending: Tx[] = [];
  /** The SDP body being read (made on the first one, then reused); sdpLen -1 when the body is not SDP. */
  sdp: Uint8Array | null = null;
  sdpLen = -1;
}

export class RtspAnalyzer implements FlowAnalyzer {
  private readonly orig = new Side();
  private readonly resp = new Side();
  private confirmed = false;
  private lastUa = '';
  private lastServer = '';
  private lastTool = '';

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const s = isOrig ? this.orig : this.resp;
    if (s.state === S_LOST) return;
    const cur = s.cur;
    cur.load(buf, off, len);
    for (;;) {
      const st = s.state;
      if (st === S_BODY || st === S_FRAME) {
        if (st === S_BODY && s.sdpLen >= 0) this.keepSdp(s, cur.b, cur.pos, Math.min(s.remaining, cur.avail()));
        s.remaining -= cur.skip(s.remaining);
        if (s.remaining > 0) break;
        if (st === S_BODY) this.messageDone(ctx, s, isOrig);
        else s.state = S_START;
        continue;
      }
      if (st === S_START && cur.avail() > 0 && cur.b[cur.pos] === INTERLEAVED_MAGIC) {
        // Too few bytes for the frame header: save() carries them to the next segment.
        if (cur.avail() < INTERLEAVED_HEADER) break;
        s.remaining = (cur.b[cur.pos + 2] << 8) | cur.b[cur.pos + 3];
        cur.skip(INTERLEAVED_HEADER);
        s.state = S_FRAME;
        continue;
      }
      const line = cur.line();
      if (line === null) break;
      if (st === S_START) this.startLine(ctx, s, isOrig, line);
      else this.fieldLine(ctx, s, isOrig, line);
      if (s.state === S_LOST) break;
    }
    if (cur.overflows > 0) {
      ctx.weird('rtsp.line_too_long');
      cur.overflows = 0;
    }
    cur.save();
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    const s = isOrig ? this.orig : this.resp;
    if (s.state === S_LOST) return;
    ctx.weird('rtsp.content_gap');
    // A description with a hole in it is not read (its lines would run together).
    if (s.state === S_BODY) s.sdpLen = -1;
    if ((s.state === S_BODY || s.state === S_FRAME) && len <= s.remaining) {
      s.remaining -= len;
      if (s.remaining === 0) {
        if (s.state === S_BODY) this.messageDone(ctx, s, isOrig);
        else s.state = S_START;
      }
      return;
    }
    // Lost inside a message: drop the partial line and look for the next start line.
    s.cur.reset();
    if (s.state !== S_START && s.state !== S_FRAME) this.messageDone(ctx, s, isOrig);
    s.state = S_START;
  }

  end(ctx: AnalyzerContext): void {
    const open = [...this.orig.pending, ...this.resp.pending].sort((a, b) => a.packet - b.packet);
    this.orig.pending.length = 0;
    this.resp.pending.length = 0;
    for (const tx of open) this.finish(ctx, tx);
  }

  private startLine(ctx: AnalyzerContext, s: Side, isOrig: boolean, line: string): void {
    // Empty lines between messages are tolerated, as HTTP's RFC 9112 §2.2 allows.
    if (line === '') return;
    const m = ctx.packet;
    const tx = new Tx();
    tx.tsSec = m.tsSec;
    tx.tsNsec = m.tsNsec;
    tx.packet = m.packetNo;
    tx.isOrig = isOrig;
    if (line.startsWith('RTSP/')) {
      const r = parseStatusLine(line);
      if (r === null) return this.badStart(ctx, s);
      tx.statusCode = r.code;
      tx.statusMsg = wireText(r.msg).slice(0, MAX_VALUE);
      tx.version = r.version;
      // The requester is the other side; the request is found by CSeq when the fields end.
      tx.isOrig = !isOrig;
      s.isResponse = true;
    } else {
      const r = parseRequestLine(line);
      if (r === null) return this.badStart(ctx, s);
      const u = stripUserinfo(wireText(r.uri));
      tx.method = r.method;
      tx.uri = u.uri.slice(0, MAX_VALUE);
      tx.version = r.version;
      if (u.user !== undefined) tx.uriUser = u.user.slice(0, MAX_VALUE);
      if (u.password !== undefined) tx.uriSecret = secretDigest(u.password);
      s.isResponse = false;
      if (s.pending.length >= MAX_PENDING) {
        ctx.weird('rtsp.too_many_pending_requests');
        this.finish(ctx, s.pending.shift()!);
      }
      s.pending.push(tx);
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('rtsp');
    }
    s.badStart = 0;
    s.tx = tx;
    s.state = S_HEADERS;
    s.fields = 0;
    s.contentLength = 0;
    s.lastField = '';
  }

  private badStart(ctx: AnalyzerContext, s: Side): void {
    ctx.weird('rtsp.bad_start_line');
    if (++s.badStart >= MAX_BAD_START) {
      s.state = S_LOST;
      ctx.violation?.();
    }
  }

  private fieldLine(ctx: AnalyzerContext, s: Side, isOrig: boolean, line: string): void {
    if (line === '') return this.headersDone(ctx, s, isOrig);
    const tx = s.tx!;
    if (isFoldedLine(line)) {
      const v = wireText(line.trim());
      if (s.lastField === 'user-agent' && tx.userAgent !== undefined) tx.userAgent = (tx.userAgent + ' ' + v).slice(0, MAX_VALUE);
      else if (s.lastField === 'server' && tx.server !== undefined) tx.server = (tx.server + ' ' + v).slice(0, MAX_VALUE);
      return;
    }
    if (++s.fields > MAX_FIELDS) {
      if (s.fields === MAX_FIELDS + 1) ctx.weird('rtsp.too_many_fields');
      return;
    }
    const f = parseField(line);
    if (f === null) {
      ctx.weird('rtsp.bad_field_line');
      s.lastField = '';
      return;
    }
    const name = f.name.toLowerCase();
    const v = wireText(f.value);
    s.lastField = name;
    const resp = s.isResponse;
    switch (name) {
      case 'content-length': {
        const n = parseContentLength(v);
        if (n === null) ctx.weird('rtsp.bad_content_length');
        else s.contentLength = n;
        break;
      }
      case 'cseq':
        if (CSEQ_RE.test(v)) tx.cseq = Number(v);
        else ctx.weird('rtsp.bad_cseq');
        break;
      case 'session':
        if (resp) tx.respSession = sessionId(v).slice(0, MAX_VALUE);
        else tx.session = sessionId(v).slice(0, MAX_VALUE);
        break;
      case 'transport':
        if (resp) tx.respTransport = v.slice(0, MAX_VALUE);
        else tx.transport = v.slice(0, MAX_VALUE);
        break;
      case 'content-type': {
        const t = mediaType(v);
        if (t === null) break;
        if (resp) tx.respContentType = t;
        else tx.contentType = t;
        break;
      }
      case 'user-agent':
        if (!resp) tx.userAgent = v.slice(0, MAX_VALUE);
        break;
      case 'server':
        tx.server = v.slice(0, MAX_VALUE);
        break;
      case 'authorization':
      case 'proxy-authorization': {
        if (resp) break;
        const a = parseAuthorization(v);
        if (a === null) {
          ctx.weird('rtsp.bad_authorization');
          break;
        }
        tx.authScheme = a.scheme;
        if (a.user !== undefined) tx.username = a.user;
        if (a.password !== undefined) tx.secret = secretDigest(a.password);
        break;
      }
    }
    // Other fields (Public, RTP-Info, Range, WWW-Authenticate …) carry nothing the log keeps.
  }

  /** End of the header section: announce software, then skip any body by Content-Length (RFC 2326 §4.3). */
  private headersDone(ctx: AnalyzerContext, s: Side, isOrig: boolean): void {
    const tx = s.tx!;
    const c = ctx.conn;
    if (!s.isResponse) {
      if (tx.userAgent !== undefined && tx.userAgent !== '' && tx.userAgent !== this.lastUa) {
        this.lastUa = tx.userAgent;
        ctx.emit({ type: 'software', host: isOrig ? origHost(c) : respHost(c), software_type: 'RTSP::CLIENT', unparsed_version: tx.userAgent });
      }
    } else if (tx.server !== undefined && tx.server !== '' && tx.server !== this.lastServer) {
      this.lastServer = tx.server;
      const sw: Record<string, unknown> = { type: 'software', host: isOrig ? origHost(c) : respHost(c), software_type: 'RTSP::SERVER', unparsed_version: tx.server };
      if (!isOrig) sw.host_p = c.rPort;
      ctx.emit(sw as { type: string });
    }
    if (s.contentLength > 0) {
      s.remaining = s.contentLength;
      s.state = S_BODY;
      s.sdpLen = (s.isResponse ? tx.respContentType : tx.contentType) === SDP_TYPE ? 0 : -1;
    } else this.messageDone(ctx, s, isOrig);
  }

  private keepSdp(s: Side, b: Uint8Array, off: number, n: number): void {
    const k = Math.min(n, MAX_SDP - s.sdpLen);
    if (k <= 0) return;
    s.sdp ??= new Uint8Array(MAX_SDP);
    s.sdp.set(b.subarray(off, off + k), s.sdpLen);
    s.sdpLen += k;
  }

  /** The kept SDP body's session name, tool and media onto the message that carried it. */
  private readSdp(ctx: AnalyzerContext, s: Side, tx: Tx, isOrig: boolean): void {
    const n = s.sdpLen;
    s.sdpLen = -1;
    if (n <= 0 || s.sdp === null) return;
    const text = latin1(s.sdp, 0, n);
    if (!text.startsWith('v=')) {
      ctx.weird('rtsp.bad_sdp');
      return;
    }
    const media = parseSdp(text);
    const sess = sdpSession(text);
    if (sess.name !== '') tx.sdpSession = wireText(sess.name);
    if (sess.tool !== '') {
      tx.sdpTool = wireText(sess.tool);
      // VLC answers "Server: VLC/3.0.12" and "a=tool:vlc 3.0.12": one program, said twice.
      if (tx.sdpTool !== this.lastTool && !(tx.server !== undefined && sameSoftware(tx.server, tx.sdpTool))) {
        this.lastTool = tx.sdpTool;
        const c = ctx.conn;
        const sw: Record<string, unknown> = { type: 'software', host: isOrig ? origHost(c) : respHost(c), software_type: 'RTSP::SDP_TOOL', unparsed_version: tx.sdpTool };
        if (!isOrig) sw.host_p = c.rPort;
        ctx.emit(sw as { type: string });
      }
    }
    if (media.length > 0) tx.media = media.map(mediaSummary);
  }

  private messageDone(ctx: AnalyzerContext, s: Side, isOrig: boolean): void {
    const r = s.tx;
    s.state = S_START;
    s.tx = null;
    if (r !== null && s.sdpLen >= 0) this.readSdp(ctx, s, r, isOrig);
    s.sdpLen = -1;
    if (r === null || !s.isResponse) return;
    // The response answers the other side's request with its CSeq, else the oldest open one.
    const other = isOrig ? this.resp : this.orig;
    let i = r.cseq === undefined ? -1 : other.pending.findIndex((t) => t.cseq === r.cseq);
    if (i < 0 && r.cseq === undefined && other.pending.length > 0) i = 0;
    if (i < 0) {
      // A response to a request not seen (capture started mid-connection).
      this.finish(ctx, r);
      return;
    }
    const tx = other.pending[i];
    other.pending.splice(i, 1);
    tx.statusCode = r.statusCode;
    tx.statusMsg = r.statusMsg;
    tx.version = r.version;
    tx.server = r.server;
    tx.respSession = r.respSession;
    tx.respTransport = r.respTransport;
    tx.respContentType = r.respContentType;
    if (r.sdpSession !== undefined) tx.sdpSession = r.sdpSession;
    if (r.sdpTool !== undefined) tx.sdpTool = r.sdpTool;
    if (r.media !== undefined) tx.media = r.media;
    tx.cseq ??= r.cseq;
    this.finish(ctx, tx);
  }

  private finish(ctx: AnalyzerContext, tx: Tx): void {
    const ev: RtspTransaction = {
      type: 'rtsp.transaction',
      tsSec: tx.tsSec,
      tsNsec: tx.tsNsec,
      packet: tx.packet,
      is_orig: tx.isOrig,
      password_sent: tx.secret !== undefined || tx.uriSecret !== undefined,
    };
    if (tx.method !== undefined) ev.method = tx.method;
    if (tx.uri !== undefined) ev.uri = tx.uri;
    if (tx.version !== undefined) ev.version = tx.version;
    if (tx.cseq !== undefined) ev.cseq = tx.cseq;
    if (tx.statusCode !== undefined) ev.status_code = tx.statusCode;
    if (tx.statusMsg !== undefined) ev.status_msg = tx.statusMsg;
    if (tx.userAgent !== undefined) ev.user_agent = tx.userAgent;
    if (tx.server !== undefined) ev.server = tx.server;
    if (tx.authScheme !== undefined) ev.auth_scheme = tx.authScheme;
    const user = tx.username ?? tx.uriUser;
    if (user !== undefined) ev.username = user;
    const session = tx.respSession ?? tx.session;
    if (session !== undefined) ev.session = session;
    const transport = tx.respTransport ?? tx.transport;
    if (transport !== undefined) ev.transport = transport;
    const ct = tx.respContentType ?? tx.contentType;
    if (ct !== undefined) ev.content_type = ct;
    if (tx.sdpSession !== undefined) ev.sdp_session = tx.sdpSession;
    if (tx.sdpTool !== undefined) ev.sdp_tool = tx.sdpTool;
    if (tx.media !== undefined) ev.media = tx.media;
    ctx.emit(ev);
    if (tx.method === 'SETUP' && tx.respTransport !== undefined && tx.statusCode !== undefined && tx.statusCode >= 200 && tx.statusCode < 300) this.media(ctx, tx, tx.respTransport);
    if (tx.secret !== undefined) this.credential(ctx, tx, tx.username ?? '', tx.secret);
    if (tx.uriSecret !== undefined && !(tx.uriSecret === tx.secret && tx.uriUser === tx.username)) this.credential(ctx, tx, tx.uriUser ?? '', tx.uriSecret);
  }

  /**
   * The media flows a SETUP's answer agreed on (RFC 2326 §12.39): the server sends RTP from its
   * server_port to the client's client_port (or to a multicast destination's port), RTCP on the
   * next ports. Interleaved or TCP media stays on the RTSP connection and is not announced.
   */
  private media(ctx: AnalyzerContext, tx: Tx, transport: string): void {
    const c = ctx.conn;
    const client = tx.isOrig ? origHost(c) : respHost(c);
    const server = tx.isOrig ? respHost(c) : origHost(c);
    // A server's answer holds the one transport it chose.
    const t = parseTransport(transport)[0];
    if (t === undefined || t.tcp) return;
    const announce = (host: string, port: number, rtcp: number): void => {
      if (!/^[0-9a-fA-F:.]{2,45}$/.test(host)) return;
      const p = ctx.packet;
      const ev: MediaAnnounce = { type: 'rtsp.media', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, host, port, rtcp_port: rtcp > 0 ? rtcp : -1, media: '', proto: t.profile, srtp: isSecureProfile(t.profile), crypto: false, codecs: {} };
      ctx.emit(ev);
    };
    if (t.destination !== undefined && t.port >= 0) announce(t.destination, t.port, t.portRtcp);
    else if (t.clientPort > 0) announce(t.destination ?? client, t.clientPort, t.clientRtcp);
    if (t.serverPort > 0) announce(t.source ?? server, t.serverPort, t.serverRtcp);
  }

  /** A Basic or URI password crossed the wire readable; the outcome comes from the status code. */
  private credential(ctx: AnalyzerContext, tx: Tx, user: string, secret: string): void {
    const c = ctx.conn;
    const cred: Record<string, unknown> = { type: 'credential', protocol: 'rtsp', user, secret };
    // A request the responder sent (rare for authentication) makes the originator the server.
    if (!tx.isOrig) {
      cred.server = origHost(c);
      cred.server_p = c.oPort;
      cred.client = respHost(c);
    }
    const code = tx.statusCode;
    if (code !== undefined && code >= 200 && code < 400) cred.success = true;
    else if (code === STATUS_UNAUTHORIZED || code === STATUS_FORBIDDEN) cred.success = false;
    ctx.emit(cred as { type: string });
  }
}

/** Whether two banners name the same program and version, ignoring case and separators. */
function sameSoftware(a: string, b: string): boolean {
  const norm = (x: string): string => x.toLowerCase().replace(/[\s/_-]+/g, '');
  return norm(a) === norm(b);
}
