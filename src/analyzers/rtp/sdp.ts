// Session Description Protocol (RFC 8866 §5): the media a SIP offer/answer (RFC 3264) or an
// RTSP DESCRIBE announces. Pure: text → media descriptions. Only what predicts and names the media
// flows is read: the connection address (c=, session or media level), each m= line's media,
// port, transport protocol and formats, the rtpmap names of dynamic payload types (RFC 8866
// §6.6), a=crypto (SDES keys for SRTP, RFC 4568), a=rtcp (RFC 3605) and a=rtcp-mux (RFC 5761).

/** Lines of one description read (an SDP body is a few dozen). */
const MAX_LINES = 256;
/** Media descriptions kept. */
const MAX_MEDIA = 8;
/** Formats kept per media description. */
const MAX_FORMATS = 32;

export interface SdpMedia {
  /** audio, video, image (T.38 fax), application … */
  media: string;
  /** Connection address, canonical text (IPv6 compressed); '' when the description gives none usable. */
  addr: string;
  /** Where the media is received; 0 means the stream is refused (RFC 3264 §6). */
  port: number;
  /** RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, udptl … as written. */
  proto: string;
  formats: string[];
  /** Encoding names of payload types (a=rtpmap), e.g. { 97: 'iLBC' }. */
  codecs: Record<number, string>;
  /** SDES key lines were present (the SRTP master key itself is not kept). */
  crypto: boolean;
  /** RTCP's port: a=rtcp, else the next port (RFC 3550 §11); the media port itself with rtcp-mux. */
  rtcpPort: number;
}

/** What a description says of itself (RFC 8866 §5.3, §6.3): its session name and the tool that wrote it. */
export interface SdpSession {
  /** s=: a server's or camera's own title ("Media Presentation", "Session streamed by …"); '' for "-" or none. */
  name: string;
  /** a=tool: at session level, the software that made the description ("LIVE555 Streaming Media v2020.08.19", "vlc 3.0.12"). */
  tool: string;
}

/** The description's lines (at most MAX_LINES), without their CR LF or LF. */
function* sdpLines(text: string): Generator<string> {
  let n = 0;
  let start = 0;
  while (start < text.length && n++ < MAX_LINES) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    yield text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
  }
}

/** Longest session name or tool kept. */
const MAX_TEXT = 256;

/** The session-level s= and a=tool: of an SDP body (the lines before the first m=). */
export function sdpSession(text: string): SdpSession {
  const out: SdpSession = { name: '', tool: '' };
  if (!text.startsWith('v=')) return out;
  for (const line of sdpLines(text)) {
    if (line.startsWith('m=')) break;
    if (line.startsWith('s=')) {
      const v = line.slice(2).trim();
      if (v !== '-' && out.name === '') out.name = v.slice(0, MAX_TEXT);
    } else if (line.startsWith('a=tool:') && out.tool === '') out.tool = line.slice(7).trim().slice(0, MAX_TEXT);
  }
  return out;
}

/** Encoding names of the static RTP payload types (RFC 3551 §6), used when no a=rtpmap names them. */
const STATIC_PAYLOAD: Record<string, string> = {
  '0': 'PCMU', '3': 'GSM', '4': 'G723', '5': 'DVI4', '6': 'DVI4', '7': 'LPC', '8': 'PCMA', '9': 'G722',
  '10': 'L16', '11': 'L16', '12': 'QCELP', '13': 'CN', '14': 'MPA', '15': 'G728', '16': 'DVI4', '17': 'DVI4',
  '18': 'G729', '25': 'CelB', '26': 'JPEG', '28': 'nv', '31': 'H261', '32': 'MPV', '33': 'MP2T', '34': 'H263',
};

/** A media description as one word list: "video H264", "audio PCMU PCMA" (formats in offer order). */
export function mediaSummary(m: SdpMedia): string {
  const names: string[] = [];
  for (const f of m.formats) {
    const name = m.codecs[Number(f)] ?? STATIC_PAYLOAD[f] ?? f;
    if (!names.includes(name)) names.push(name);
  }
  return names.length > 0 ? `${m.media} ${names.join(' ')}` : m.media;
}

/** Whether a transport protocol carries SRTP (SAVP, SAVPF: RFC 3711, RFC 5124). */
export function isSecureProfile(proto: string): boolean {
  return /SAVPF?$/i.test(proto);
}

/** Whether a transport protocol is RTP over UDP (not TCP-framed RTP, RFC 4571). */
export function isRtpOverUdp(proto: string): boolean {
  return /^(?:UDP\/(?:TLS\/)?)?RTP\//i.test(proto);
}

/** Parses an SDP body. Returns the media descriptions (at most MAX_MEDIA), [] when it is not SDP. */
export function parseSdp(text: string): SdpMedia[] {
  if (!text.startsWith('v=')) return [];
  const out: SdpMedia[] = [];
  let sessionAddr = '';
  let cur: SdpMedia | null = null;
  let curAddr = '';
  let mux = false;
  let explicitRtcp = -1;
  const close = (): void => {
    if (cur === null) return;
    if (cur.addr === '') cur.addr = curAddr !== '' ? curAddr : sessionAddr;
    cur.rtcpPort = mux ? cur.port : explicitRtcp >= 0 ? explicitRtcp : cur.port + 1;
    out.push(cur);
  };
  for (const line of sdpLines(text)) {
    if (line.length < 2 || line[1] !== '=') continue;
    const v = line.slice(2);
    switch (line[0]) {
      case 'c': {
        const a = connectionAddress(v);
        if (cur === null) sessionAddr = a;
        else curAddr = a;
        break;
      }
      case 'm': {
        close();
        cur = null;
        curAddr = '';
        mux = false;
        explicitRtcp = -1;
        if (out.length >= MAX_MEDIA) break;
        const f = v.split(' ');
        const port = /^(\d{1,5})(?:\/\d+)?$/.exec(f[1] ?? '');
        if (f.length < 3 || port === null || Number(port[1]) > 65535) break;
        cur = { media: f[0], addr: '', port: Number(port[1]), proto: f[2], formats: f.slice(3, 3 + MAX_FORMATS).filter((x) => x !== ''), codecs: {}, crypto: false, rtcpPort: 0 };
        break;
      }
      case 'a': {
        if (cur === null) break;
        if (v.startsWith('rtpmap:')) {
          const m = /^rtpmap:(\d{1,3}) ([^/\s]{1,32})/.exec(v);
          if (m !== null && Number(m[1]) < 128 && Object.keys(cur.codecs).length < MAX_FORMATS) cur.codecs[Number(m[1])] = m[2];
        } else if (v.startsWith('crypto:')) cur.crypto = true;
        else if (v === 'rtcp-mux') mux = true;
        else if (v.startsWith('rtcp:')) {
          const m = /^rtcp:(\d{1,5})/.exec(v);
          if (m !== null && Number(m[1]) <= 65535) explicitRtcp = Number(m[1]);
        }
        break;
      }
    }
  }
  close();
  return out;
}

/** "IN IP4 192.0.2.1[/ttl]" or "IN IP6 2001:db8::1" → the address, canonical; '' otherwise. */
function connectionAddress(v: string): string {
  const m = /^IN IP([46]) ([^\s/]+)/.exec(v);
  if (m === null) return '';
  if (m[1] === '4') {
    const q = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(m[2]);
    if (q === null || q.slice(1).some((x) => Number(x) > 255)) return '';
    return q.slice(1).map(Number).join('.');
  }
  if (!/^[0-9A-Fa-f:.]{2,45}$/.test(m[2])) return '';
  try {
    // The URL parser writes IPv6 as RFC 5952 does (and as conn.log does); a v4-mapped address
    // is written as its IPv4 address there.
    const a = new URL(`http://[${m[2]}]/`).hostname.slice(1, -1);
    const v4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
    if (v4 === null) return a;
    const hi = parseInt(v4[1], 16);
    const lo = parseInt(v4[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  } catch {
    return '';
  }
}
