// Per-flow OPC UA state: frames chunks per direction with the shared PduFramer (whole chunks up
// to 64 KiB; of larger ones the first 64 KiB), reads the connection protocol (Hello, Acknowledge,
// Error, ReverseHello), the OpenSecureChannel security header, and — only when the channel's
// policy is None, so bodies travel in clear — the service messages of discovery and session
// set-up. Emits one opcua.session summary per connection at its end. A readable password becomes
// a keyed digest at once (the credential event is emitted once the ActivateSession answer is seen,
// or at the end); its bytes are never kept.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import { sideAddr } from '../ntlm/session.js';
import { secretDigest } from '../secret.js';
import { ACTIVATE_SESSION_RESPONSE, CREATE_SESSION_RESPONSE, FIND_SERVERS_RESPONSE, GET_ENDPOINTS_RESPONSE, POLICY_NONE, SERVICE_FAULT, policyName, statusName } from './names.js';
import {
  HEADER_LEN,
  SEQUENCE_HEADER_LEN,
  SYMMETRIC_HEADER_LEN,
  parseError,
  parseHeader,
  parseHello,
  parseOpenHeader,
  parseReverseHello,
  parseService,
  type Application,
  type Header,
} from './parse.js';
import type { OpcuaSession } from './events.js';

/** Bytes of one chunk kept: the headers and the start of the body. */
const MAX_KEEP = 64 * 1024;
/** Distinct service names listed per connection. */
const MAX_SERVICES = 32;

interface PendingCredential {
  user: string;
  secret: string;
  packet: number;
}

export class OpcuaAnalyzer implements FlowAnalyzer {
  private readonly framers: [PduFramer | null, PduFramer | null] = [null, null];
  /** Per direction: a MSG chunk "C" started a message whose later chunks carry no type id. */
  private readonly midMessage = [false, false];
  private ev: OpcuaSession | null = null;
  private readonly types = new Set<string>();
  private readonly services = new Set<string>();
  private policyUri: string | null = null;
  private confirmed = false;
  private pending: PendingCredential | null = null;
  private done = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const side = isOrig ? 0 : 1;
    let f = this.framers[side];
    if (f === null) {
      f = new PduFramer(
        {
          maxHeader: HEADER_LEN,
          maxKeep: MAX_KEEP,
          lengthOf: (b, o, a) => {
            const h = parseHeader(b, o, a);
            if (h === 'need_more') return 0;
            return h === 'bad' ? -1 : h.size;
          },
        },
        { pdu: (b, o, n, _total, damaged) => this.chunk(ctx, isOrig, b, o, n, damaged) },
      );
      this.framers[side] = f;
    }
    if (!f.broken && !f.push(buf, off, len)) ctx.weird('opcua.bad_header');
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.framers[isOrig ? 0 : 1]?.gap(len);
    this.midMessage[isOrig ? 0 : 1] = false;
  }

  end(ctx: AnalyzerContext): void {
    if (this.done) return;
    this.done = true;
    this.flushCredential(ctx, undefined);
    if (this.ev === null) return;
    this.ev.msg_types = [...this.types];
    if (this.services.size > 0) this.ev.services = [...this.services];
    ctx.emit(this.ev);
  }

  private session(ctx: AnalyzerContext): OpcuaSession {
    if (this.ev === null) {
      this.ev = { type: 'opcua.session', tsSec: ctx.packet.tsSec, tsNsec: ctx.packet.tsNsec, packet: ctx.packet.packetNo, msg_types: [], server_is_orig: false };
    }
    return this.ev;
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    ctx.confirm('opcua');
  }

  private chunk(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, o: number, n: number, damaged: boolean): void {
    const h = parseHeader(b, o, n);
    if (typeof h === 'string') return;
    const s = this.session(ctx);
    this.types.add(h.type);
    if (damaged) return;
    const bo = o + HEADER_LEN;
    const bl = n - HEADER_LEN;
    switch (h.type) {
      case 'HEL': {
        const m = parseHello(b, bo, bl, true);
        if (m === 'bad') return ctx.weird('opcua.bad_hello');
        this.confirm(ctx);
        s.protocol_version = m.version;
        if (m.endpointUrl !== null && m.endpointUrl !== '') s.endpoint_url = m.endpointUrl;
        return;
      }
      case 'ACK':
        if (parseHello(b, bo, bl, false) === 'bad') return ctx.weird('opcua.bad_acknowledge');
        this.confirm(ctx);
        return;
      case 'ERR': {
        const m = parseError(b, bo, bl);
        if (m === 'bad') return ctx.weird('opcua.bad_error');
        this.confirm(ctx);
        s.error = statusName(m.code);
        if (m.reason !== null && m.reason !== '') s.error_reason = m.reason;
        return;
      }
      case 'RHE': {
        const m = parseReverseHello(b, bo, bl);
        if (m === 'bad') return ctx.weird('opcua.bad_reverse_hello');
        this.confirm(ctx);
        s.server_is_orig = isOrig;
        if (m.endpointUrl !== null && m.endpointUrl !== '' && s.endpoint_url === undefined) s.endpoint_url = m.endpointUrl;
        if (m.serverUri !== null && m.serverUri !== '' && s.application_uri === undefined) s.application_uri = m.serverUri;
        return;
      }
      case 'OPN':
        return this.open(ctx, isOrig, s, b, bo, bl);
      case 'MSG':
      case 'CLO':
        return this.message(ctx, isOrig, s, h, b, bo, bl);
    }
  }

  private open(ctx: AnalyzerContext, isOrig: boolean, s: OpcuaSession, b: Uint8Array, o: number, n: number): void {
    const m = parseOpenHeader(b, o, n);
    if (m === 'bad' || m.policyUri === null) return ctx.weird('opcua.bad_open');
    this.confirm(ctx);
    const clientSide = isOrig !== s.server_is_orig;
    if (this.policyUri === null) {
      this.policyUri = m.policyUri;
      s.security_policy_uri = m.policyUri;
      s.security_policy = policyName(m.policyUri);
      s.insecure = m.policyUri === POLICY_NONE ? true : undefined;
      if (s.insecure === undefined) delete s.insecure;
    }
    if (clientSide) s.client_certificate = m.senderCertificate;
    else s.server_certificate = m.senderCertificate;
    if (m.policyUri !== POLICY_NONE) return;
    const body = m.bodyOff + SEQUENCE_HEADER_LEN;
    this.service(ctx, s, b, body, o + n - body);
  }

  private message(ctx: AnalyzerContext, isOrig: boolean, s: OpcuaSession, h: Header, b: Uint8Array, o: number, n: number): void {
    const side = isOrig ? 0 : 1;
    const first = !this.midMessage[side];
    this.midMessage[side] = h.chunk === 'C';
    // Only the first chunk of a message starts with its type id; abort chunks carry an Error.
    if (!first || h.chunk === 'A' || this.policyUri !== POLICY_NONE) return;
    const body = o + SYMMETRIC_HEADER_LEN + SEQUENCE_HEADER_LEN;
    this.service(ctx, s, b, body, o + n - body);
  }

  private service(ctx: AnalyzerContext, s: OpcuaSession, b: Uint8Array, o: number, n: number): void {
    if (n <= 0) return;
    const m = parseService(b, o, n);
    if (m === 'bad') return ctx.weird('opcua.bad_service');
    if (this.services.size < MAX_SERVICES) this.services.add(m.service.replace(/(Request|Response)$/, ''));
    if (m.securityMode !== undefined) s.security_mode = m.securityMode;
    if (m.client !== undefined) {
      if (m.client.applicationUri) s.client_application_uri = m.client.applicationUri;
      if (m.client.applicationName) s.client_application_name = m.client.applicationName;
    }
    if (m.endpointUrl && s.endpoint_url === undefined) s.endpoint_url = m.endpointUrl;
    if (m.sessionName) s.session_name = m.sessionName;
    if ((m.typeId === GET_ENDPOINTS_RESPONSE || m.typeId === CREATE_SESSION_RESPONSE) && m.endpoints !== undefined && m.endpoints.length > 0) {
      this.application(s, m.endpoints[0].server);
    }
    // A discovery server may list other servers: only a single answer surely describes itself.
    if (m.typeId === FIND_SERVERS_RESPONSE && m.servers !== undefined && m.servers.length === 1) this.application(s, m.servers[0]);
    if (m.identity !== undefined) {
      s.identity_token = m.identity.type;
      if (m.identity.user !== undefined && m.identity.user !== null) s.user = m.identity.user;
      if (m.identity.passwordAt !== undefined || m.identity.passwordEncrypted === true) s.password = true;
      if (m.identity.passwordEncrypted === true) s.password_encrypted = true;
      const at = m.identity.passwordAt;
      if (at !== undefined) {
        this.flushCredential(ctx, undefined);
        this.pending = { user: m.identity.user ?? '', secret: secretDigest(b.subarray(at[0], at[0] + at[1])), packet: ctx.packet.packetNo };
      }
    }
    if (m.typeId === ACTIVATE_SESSION_RESPONSE && m.serviceResult !== undefined) {
      s.status = statusName(m.serviceResult);
      this.flushCredential(ctx, m.serviceResult === 0);
    } else if (m.typeId === SERVICE_FAULT && m.serviceResult !== undefined) {
      s.status = statusName(m.serviceResult);
      if (this.pending !== null) this.flushCredential(ctx, false);
    }
  }

  private application(s: OpcuaSession, a: Application): void {
    if (a.applicationUri) s.application_uri = a.applicationUri;
    if (a.productUri) s.product_uri = a.productUri;
    if (a.applicationName) s.application_name = a.applicationName;
    if (a.applicationType) s.application_type = a.applicationType;
  }

  private flushCredential(ctx: AnalyzerContext, success: boolean | undefined): void {
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    const serverOrig = this.ev?.server_is_orig === true;
    const c = ctx.conn;
    const ev: Record<string, unknown> = {
      type: 'credential',
      protocol: 'opcua',
      user: p.user,
      secret: p.secret,
      host: sideAddr(ctx, serverOrig),
      host_p: serverOrig ? c.oPort : c.rPort,
      client: sideAddr(ctx, !serverOrig),
      packet: p.packet,
    };
    if (success !== undefined) ev.success = success;
    ctx.emit(ev as { type: string });
  }
}
