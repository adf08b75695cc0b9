// Per-connection XMPP state: each direction's XML stream tokenized (bounded); the stream
// headers (domains, version), the server's features (STARTTLS offered or required, SASL
// mechanisms, its software by entity capabilities or service discovery), the client's SASL
// exchange (mechanism; the user name from PLAIN, SCRAM or DIGEST-MD5; a PLAIN or X-OAUTH2
// password or token becomes the shared credential fact, a keyed digest, with the server's
// verdict), the bound resource and client software, and the stanzas counted. Chat bodies,
// presence status and roster items are never kept. STARTTLS accepted (<proceed/>) hands the
// connection to TLS. One xmpp.session when the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { origHost, respHost } from '../connid.js';
import { REDACTED } from '../secret.js';
import type { XmppSession } from './events.js';
import { XmlStream } from './parse.js';
import { SaslExchange } from '../sasl.js';

/** Open elements tracked per direction. */
const MAX_DEPTH = 32;
/** Bytes without a stream header or stanza before the connection is given up as not XMPP. */
const MAX_UNCONFIRMED = 4096;
/** Mechanisms kept. */
const MAX_MECHANISMS = 16;

/** Entity-capabilities nodes of well-known software (XEP-0115 `node`). */
const CAPS_NODES: [RegExp, string][] = [
  [/pidgin\.im/, 'Pidgin'],
  [/process-one\.net\/en\/ejabberd/, 'ejabberd'],
  [/gajim\.org/, 'Gajim'],
  [/psi-im\.org/, 'Psi'],
  [/conversations\.im/, 'Conversations'],
  [/jitsi\.org/, 'Jitsi'],
  [/swift\.im/, 'Swift'],
  [/prosody\.im/, 'Prosody'],
  [/igniterealtime\.org\/projects\/smack/, 'Smack'],
  [/www\.igniterealtime\.org\/projects\/openfire/, 'Openfire'],
  [/cisco\.com\/jabber|jabber\.cisco\.com/, 'Cisco Jabber'],
  [/tkabber/, 'Tkabber'],
  [/dino\.im/, 'Dino'],
];

export function capsSoftware(node: string): string {
  for (const [re, name] of CAPS_NODES) if (re.test(node)) return name;
  return node.slice(0, 128);
}

class Side {
  readonly stack: string[] = [];
  text = '';
  constructor(readonly xml: XmlStream) {}
}

export class XmppAnalyzer implements FlowAnalyzer {
  private ctx: AnalyzerContext | null = null;
  private readonly sides: [Side, Side];
  private confirmed = false;
  private done = false;
  private released = false;
  private unconfirmedBytes = 0;
  /** Unconfirmed, an element that is no stream header or stanza was seen. */
  private foreign = false;
  private cred: Record<string, unknown> | null = null;
  private sasl: SaslExchange | null = null;
  private version: { name: string; version: string; os: string } | null = null;
  private readonly s: XmppSession = {
    type: 'xmpp.session',
    packet: 0,
    tsSec: 0,
    tsNsec: 0,
    stream: '',
    to: '',
    from: '',
    version: '',
    starttls_offered: false,
    starttls_required: false,
    tls: false,
    mechanisms: [],
    mechanism: '',
    user: '',
    password: false,
    auth_success: null,
    auth_failure: '',
    resource: '',
    client_software: '',
    server_software: '',
    iq: 0,
    presence: 0,
    message: 0,
    bodies: 0,
    midstream: false,
  };

  constructor() {
    const side = (isOrig: boolean): Side => {
      let me: Side | null = null;
      const xml = new XmlStream({
        start: (name, attrs) => this.start(me!, isOrig, name, attrs),
        end: (name) => this.end_(me!, isOrig, name),
        text: (t) => this.text(me!, isOrig, t),
      });
      me = new Side(xml);
      return me;
    };
    this.sides = [side(true), side(false)];
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.done || this.released) return;
    this.ctx = ctx;
    this.sides[isOrig ? 0 : 1].xml.feed(Buffer.from(buf.buffer, buf.byteOffset + off, len).toString('utf8'));
    // A stream header or stanza comes first: an element that is neither, or this many bytes
    // without either, is another protocol.
    this.unconfirmedBytes += len;
    if (!this.confirmed && (this.foreign || this.unconfirmedBytes > MAX_UNCONFIRMED) && !this.released) {
      this.released = true;
      ctx.release();
    }
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    // Lost bytes cut an element: forget the open elements and resume at the next tag.
    const side = this.sides[isOrig ? 0 : 1];
    side.stack.length = 0;
    side.text = '';
    side.xml.reset();
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    this.flushCred(null);
    if (!this.confirmed) return;
    this.confirmed = false;
    ctx.emit(this.s);
  }

  private confirm(): void {
    if (this.confirmed) return;
    const ctx = this.ctx!;
    this.confirmed = true;
    const p = ctx.packet;
    this.s.packet = p.packetNo;
    this.s.tsSec = p.tsSec;
    this.s.tsNsec = p.tsNsec;
    ctx.confirm('xmpp');
  }

  private start(side: Side, isOrig: boolean, name: string, attrs: Record<string, string>): void {
    const st = side.stack;
    const parent = st.length > 0 ? st[st.length - 1] : '';
    const depth = st.length;
    if (st.length < MAX_DEPTH) st.push(name);
    side.text = '';
    const s = this.s;
    if (name === 'stream:stream' || name === 'stream') {
      // A stream restart (after SASL) opens a new document: its elements sit at depth 1 again.
      st.length = 0;
      st.push(name);
      const ns = attrs.xmlns ?? '';
      if (ns !== 'jabber:client' && ns !== 'jabber:server' && !Object.values(attrs).some((v) => v === 'http://etherx.jabber.org/streams')) {
        if (!this.confirmed) this.foreign = true;
        return;
      }
      s.stream ||= ns;
      if (isOrig) s.to ||= attrs.to ?? '';
      else s.from ||= attrs.from ?? '';
      s.version ||= attrs.version ?? '';
      this.confirm();
      return;
    }
    if (!this.confirmed) {
      // Joined mid-way: a stanza at the top of the stream (no header seen) is XMPP's.
      if (depth !== 0 || (name !== 'iq' && name !== 'presence' && name !== 'message')) {
        this.foreign = true;
        return;
      }
      s.midstream = true;
      this.confirm();
    }
    const top = depth === 0 || (depth === 1 && (st[0] === 'stream:stream' || st[0] === 'stream'));
    if (top) {
      if (name === 'iq') s.iq++;
      else if (name === 'presence') s.presence++;
      else if (name === 'message') s.message++;
    }
    if (name === 'body' && parent === 'message') s.bodies++;
    if (isOrig) {
      if (name === 'auth') {
        s.mechanism = (attrs.mechanism ?? '').slice(0, 32);
      } else if (name === 'c' && parent === 'presence' && attrs.node !== undefined) {
        this.software(true, capsSoftware(attrs.node));
      }
      return;
    }
    if (name === 'starttls' && parent === 'stream:features') s.starttls_offered = true;
    else if (name === 'required' && parent === 'starttls') s.starttls_required = true;
    else if (name === 'proceed') {
      s.tls = true;
      this.done = true;
      this.ctx!.emit({ type: 'xmpp.starttls', packet: this.ctx!.packet.packetNo });
    } else if (name === 'success') this.verdict(true, '');
    else if (parent === 'failure' && st.length <= 3) this.verdict(false, name);
    else if (name === 'c' && parent === 'stream:features' && attrs.node !== undefined) this.software(false, capsSoftware(attrs.node));
    else if (name === 'identity' && attrs.category === 'server' && attrs.name !== undefined) this.software(false, attrs.name.slice(0, 64));
  }

  private end_(side: Side, isOrig: boolean, name: string): void {
    const st = side.stack;
    const text = side.text;
    side.text = '';
    const parent = st.length > 1 ? st[st.length - 2] : '';
    if (st.length > 0 && st[st.length - 1] === name) st.pop();
    if (!this.confirmed) return;
    const s = this.s;
    if (isOrig) {
      if (name === 'auth') this.saslInitial(text);
      else if (name === 'response' && this.sasl !== null) {
        this.sasl.response(text);
        if (s.user === '') s.user = this.sasl.user;
      } else if (name === 'resource' && parent === 'bind') s.resource ||= text.slice(0, 128);
      return;
    }
    if (name === 'challenge' && this.sasl !== null) this.sasl.challenge(text);
    else if (name === 'mechanism' && s.mechanisms.length < MAX_MECHANISMS && text !== '' && !s.mechanisms.includes(text)) s.mechanisms.push(text.slice(0, 32));
    else if (name === 'jid' && parent === 'bind' && s.user === '') s.user = text.split('@')[0].slice(0, 256);
    else if (parent === 'query' && (name === 'name' || name === 'version' || name === 'os')) {
      this.version ??= { name: '', version: '', os: '' };
      this.version[name] = text.slice(0, 64);
    } else if (name === 'query' && this.version !== null) {
      if (this.version.name !== '') this.software(false, `${this.version.name} ${this.version.version}`.trim());
      this.version = null;
    }
  }

  private text(side: Side, _isOrig: boolean, t: string): void {
    if (side.text.length + t.length <= 4096) side.text += t.trim();
  }

  /**
   * SASL's initial response (shared SaslExchange): the user, and for a mechanism that sends a
   * reusable secret (PLAIN; Google's X-OAUTH2, laid out as PLAIN with a token) the credential.
   */
  private saslInitial(text: string): void {
    const s = this.s;
    const mech = s.mechanism.toUpperCase();
    const t = text.trim();
    this.sasl = new SaslExchange(mech === 'X-OAUTH2' ? 'PLAIN' : mech, t === '' ? undefined : t);
    const ex = this.sasl;
    if (ex.user !== '') s.user = ex.user;
    if (!ex.cleartext || ex.secret === null) return;
    s.password = true;
    const c = this.ctx!.conn;
    this.flushCred(null);
    this.cred = {
      type: 'credential',
      service: 'xmpp',
      protocol: 'xmpp',
      mechanism: s.mechanism,
      user: ex.user,
      password: REDACTED,
      secret: ex.secret,
      host: respHost(c),
      host_p: c.rPort,
      packet: this.ctx!.packet.packetNo,
    };
  }

  private verdict(ok: boolean, failure: string): void {
    const s = this.s;
    if (s.auth_success !== null && !ok) return;
    s.auth_success = ok;
    s.auth_failure = ok ? '' : failure.slice(0, 64);
    this.flushCred(ok);
  }

  private software(client: boolean, name: string): void {
    const s = this.s;
    if (name === '') return;
    if (client) {
      if (s.client_software !== '') return;
      s.client_software = name;
    } else {
      if (s.server_software !== '' && !/\d/.test(name)) return;
      s.server_software = name;
    }
    const c = this.ctx!.conn;
    if (client) this.ctx!.emit({ type: 'software', host: origHost(c), software_type: 'XMPP::CLIENT', unparsed_version: name });
    else this.ctx!.emit({ type: 'software', host: respHost(c), host_p: c.rPort, software_type: 'XMPP::SERVER', unparsed_version: name });
  }

  private flushCred(success: boolean | null): void {
    const cred = this.cred;
    if (cred === null || this.ctx === null) return;
    this.cred = null;
    if (success !== null) cred.success = success;
    this.ctx.emit(cred as { type: string });
  }
}
