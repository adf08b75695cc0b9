// NTLM and Negotiate in HTTP authentication headers (RFC 4559 §4; MS-NTHT §2.2): the
// Authorization / Proxy-Authorization token from the client, WWW-Authenticate /
// Proxy-Authenticate from the server, base64 after the scheme name. `ntlmFromHttpHeader` is the
// pure part any HTTP analyzer can call; HttpAuthScanner is a small header-only HTTP/1.x
// framer (Content-Length and chunked bodies are skipped, RFC 9112 §6) used when this
// analyzer runs on an HTTP connection itself.

const AUTH_HEADERS = new Set(['authorization', 'proxy-authorization', 'www-authenticate', 'proxy-authenticate']);
/** Tokens larger than this are not decoded (Kerberos tickets with PACs stay well below). */
const MAX_TOKEN_B64 = 48 * 1024;

/**
 * The decoded security token of one HTTP header when it carries NTLM or Negotiate
 * (`Authorization: NTLM TlRMTVNT...`), else null. Header names are case-insensitive.
 */
export function ntlmFromHttpHeader(name: string, value: string): Uint8Array | null {
  if (!AUTH_HEADERS.has(name.trim().toLowerCase())) return null;
  const v = value.trim();
  const sp = v.indexOf(' ');
  if (sp < 0) return null;
  const scheme = v.slice(0, sp).toLowerCase();
  if (scheme !== 'ntlm' && scheme !== 'negotiate') return null;
  const b64 = v.slice(sp + 1).trim();
  if (b64.length === 0 || b64.length > MAX_TOKEN_B64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length > 0 ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : null;
}

/** Every NTLM/Negotiate token in a block of header lines ("Name: value\r\n" …). */
export function ntlmFromHttpHeaders(block: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const line of block.split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c <= 0) continue;
    const t = ntlmFromHttpHeader(line.slice(0, c), line.slice(c + 1));
    if (t !== null) out.push(t);
  }
  return out;
}

/** Longest header line kept (a Negotiate header with a Kerberos ticket can be ~12 KiB). */
export const MAX_HEADER_LINE = 64 * 1024;

const ST_START = 0;
const ST_HEADERS = 1;
const ST_BODY = 2;
const ST_CHUNK_SIZE = 3;
const ST_CHUNK_DATA = 4;
const ST_CHUNK_CRLF = 5;
const ST_TRAILERS = 6;
/** Body of unknown length (response read until close): nothing more to see. */
const ST_DONE = 7;

export interface HttpAuthSink {
  /** A request or status line began (`status` is the response code, 0 for requests). */
  start(status: number): void;
  /** An authentication token was found in a header. */
  token(bytes: Uint8Array): void;
}

/** Header-only HTTP/1.x framing of one direction. */
export class HttpAuthScanner {
  private state = ST_START;
  private line: Uint8Array[] = [];
  private lineLen = 0;
  private overlong = false;
  private remaining = 0;
  private contentLength = -1;
  private chunked = false;
  private status = 0;

  constructor(
    private readonly isResponse: boolean,
    private readonly sink: HttpAuthSink,
  ) {}

  data(buf: Uint8Array, off: number, len: number): void {
    const end = off + len;
    let p = off;
    while (p < end && this.state !== ST_DONE) {
      if (this.state === ST_BODY || this.state === ST_CHUNK_DATA) {
        const n = Math.min(this.remaining, end - p);
        p += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = this.state === ST_BODY ? ST_START : ST_CHUNK_CRLF;
        continue;
      }
      const nl = buf.indexOf(0x0a, p);
      const stop = nl < 0 || nl >= end ? end : nl;
      if (!this.overlong) {
        if (this.lineLen + (stop - p) > MAX_HEADER_LINE) {
          this.overlong = true;
          this.line = [];
        } else this.line.push(buf.slice(p, stop));
        this.lineLen += stop - p;
      }
      if (stop === end) return;
      p = stop + 1;
      const text = this.overlong ? '' : Buffer.concat(this.line).toString('latin1').replace(/\r$/, '');
      this.line = [];
      this.lineLen = 0;
      this.overlong = false;
      this.onLine(text);
    }
  }

  /** A gap: framing is lost; wait for the next message start. */
  gap(): void {
    this.state = ST_START;
    this.line = [];
    this.lineLen = 0;
    this.overlong = false;
  }

  private onLine(text: string): void {
    switch (this.state) {
      case ST_START: {
        if (text === '') return;
        const m = this.isResponse ? /^HTTP\/\d\.\d\s+(\d{3})/.exec(text) : /^[A-Z][A-Z_-]{1,19} \S+ HTTP\/\d\.\d$/.exec(text);
        if (m === null) return;
        this.status = this.isResponse ? Number(m[1]) : 0;
        this.contentLength = -1;
        this.chunked = false;
        this.state = ST_HEADERS;
        this.sink.start(this.status);
        return;
      }
      case ST_HEADERS: {
        if (text === '') {
          this.endOfHeaders();
          return;
        }
        const c = text.indexOf(':');
        if (c <= 0) return;
        const name = text.slice(0, c).trim().toLowerCase();
        const value = text.slice(c + 1).trim();
        if (name === 'content-length' && /^\d{1,15}$/.test(value)) this.contentLength = Number(value);
        else if (name === 'transfer-encoding' && /chunked/i.test(value)) this.chunked = true;
        else {
          const t = ntlmFromHttpHeader(name, value);
          if (t !== null) this.sink.token(t);
        }
        return;
      }
      case ST_CHUNK_SIZE: {
        const m = /^([0-9A-Fa-f]{1,12})/.exec(text);
        if (m === null) {
          this.state = ST_START;
          return;
        }
        this.remaining = parseInt(m[1], 16);
        this.state = this.remaining === 0 ? ST_TRAILERS : ST_CHUNK_DATA;
        return;
      }
      case ST_CHUNK_CRLF:
        this.state = ST_CHUNK_SIZE;
        return;
      case ST_TRAILERS:
        if (text === '') this.state = ST_START;
        return;
    }
  }

  private endOfHeaders(): void {
    const s = this.status;
    const noBody = this.isResponse && ((s >= 100 && s < 200) || s === 204 || s === 304);
    if (noBody) this.state = ST_START;
    else if (this.chunked) this.state = ST_CHUNK_SIZE;
    else if (this.contentLength > 0) {
      this.remaining = this.contentLength;
      this.state = ST_BODY;
    } else if (this.contentLength === 0 || !this.isResponse) this.state = ST_START;
    else this.state = ST_DONE;
  }
}
