// Alert sinks. `send()` only queues (bounded) and returns: no sink ever blocks the packet path
// or throws into it. Network sinks deliver in the background, retry with exponential backoff,
// and count what they sent, failed and dropped; `close()` drains for a bounded time.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIPv6, type Socket } from 'node:net';
import { hostname as osHostname } from 'node:os';
import type { Alert } from '../../report/alert.js';
import { VERSION } from '../../version.js';
import { alertJson, alertSyslog, FACILITIES, octetFrame, type SyslogHeader } from './format.js';

export interface SinkStats {
  sent: number;
  failed: number;
  dropped: number;
  queued: number;
}

export interface AlertSink {
  readonly name: string;
  send(a: Alert): void;
  /** Delivers what is queued (waiting at most `timeoutMs`), then releases the sink. */
  close(timeoutMs?: number): Promise<void>;
  stats(): SinkStats;
}

export interface SinkOptions {
  /** Messages queued per sink while the receiver is slow or away; the oldest are dropped past it. */
  maxQueue?: number;
  /** First retry delay; doubles per attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Delivery attempts per webhook POST (1 = no retry). */
  maxAttempts?: number;
  /** Per-request timeout for webhooks. */
  requestTimeoutMs?: number;
  /** Syslog HOSTNAME and facility (RFC 5424 §6.2). */
  hostname?: string;
  facility?: number;
}

const DEFAULTS = { maxQueue: 1000, baseDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 6, requestTimeoutMs: 10_000, facility: FACILITIES.local4 };
/** A file sink stops buffering past this many bytes not yet written (a stuck disk). */
const FILE_MAX_BUFFERED = 16 * 1024 * 1024;
const DEFAULT_SYSLOG_PORT = 514;
const CLOSE_TIMEOUT_MS = 5000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function backoff(attempt: number, o: { baseDelayMs: number; maxDelayMs: number }): number {
  return Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt);
}

/** JSON lines appended to a file, one alert per line. */
export class JsonlSink implements AlertSink {
  readonly name: string;
  private readonly out: WriteStream;
  private sent = 0;
  private dropped = 0;
  private failed = 0;

  constructor(path: string) {
    this.name = path;
    mkdirSync(dirname(path), { recursive: true });
    this.out = createWriteStream(path, { flags: 'a' });
    this.out.on('error', () => this.failed++);
  }

  send(a: Alert): void {
    if (this.out.writableLength > FILE_MAX_BUFFERED) {
      this.dropped++;
      return;
    }
    this.out.write(alertJson(a) + '\n');
    this.sent++;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(() => resolve()));
  }

  stats(): SinkStats {
    return { sent: this.sent, failed: this.failed, dropped: this.dropped, queued: 0 };
  }
}

function syslogHeader(o: SinkOptions): SyslogHeader {
  return { facility: o.facility ?? DEFAULTS.facility, hostname: o.hostname ?? osHostname(), appName: 'wardline', procId: String(process.pid) };
}

/** RFC 5424 over UDP (RFC 5426): one datagram per alert. */
export class UdpSyslogSink implements AlertSink {
  readonly name: string;
  private readonly sock: UdpSocket;
  private readonly header: SyslogHeader;
  private sent = 0;
  private failed = 0;
  private inFlight = 0;
  private dropped = 0;
  private readonly maxQueue: number;

  constructor(
    private readonly host: string,
    private readonly port: number,
    opts: SinkOptions = {},
  ) {
    this.name = `syslog://${host}:${port}`;
    this.sock = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    this.sock.on('error', () => this.failed++);
    this.sock.unref();
    this.header = syslogHeader(opts);
    this.maxQueue = opts.maxQueue ?? DEFAULTS.maxQueue;
  }

  send(a: Alert): void {
    if (this.inFlight >= this.maxQueue) {
      this.dropped++;
      return;
    }
    this.inFlight++;
    this.sock.send(Buffer.from(alertSyslog(a, this.header), 'utf8'), this.port, this.host, (err) => {
      this.inFlight--;
      if (err) this.failed++;
      else this.sent++;
    });
  }

  async close(timeoutMs = CLOSE_TIMEOUT_MS): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.inFlight > 0 && Date.now() < until) await sleep(5);
    await new Promise<void>((r) => this.sock.close(() => r()));
  }

  stats(): SinkStats {
    return { sent: this.sent, failed: this.failed, dropped: this.dropped, queued: this.inFlight };
  }
}

/** RFC 5424 over TCP with octet-counting framing (RFC 6587), reconnecting with backoff. */
export class TcpSyslogSink implements AlertSink {
  readonly name: string;
  private sock: Socket | null = null;
  private connected = false;
  private readonly queue: Buffer[] = [];
  private readonly header: SyslogHeader;
  private readonly o: typeof DEFAULTS;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  private sent = 0;
  private failed = 0;
  private dropped = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    opts: SinkOptions = {},
  ) {
    this.name = `syslog+tcp://${host}:${port}`;
    this.header = syslogHeader(opts);
    this.o = { ...DEFAULTS, ...stripUndefined(opts) };
    this.connect();
  }

  private connect(): void {
    this.timer = null;
    if (this.closing) return;
    const s = connect({ host: this.host, port: this.port });
    this.sock = s;
    s.setNoDelay(true);
    s.on('connect', () => {
      this.connected = true;
      this.attempt = 0;
      this.pump();
    });
    s.on('drain', () => this.pump());
    s.on('error', () => {
      this.failed++;
    });
    s.on('close', () => {
      this.connected = false;
      this.sock = null;
      if (!this.closing) this.timer = setTimeout(() => this.connect(), backoff(this.attempt++, this.o));
    });
  }

  private pump(): void {
    const s = this.sock;
    while (this.connected && s !== null && this.queue.length > 0) {
      const frame = this.queue.shift()!;
      this.sent++;
      if (!s.write(frame)) break;
    }
  }

  send(a: Alert): void {
    if (this.queue.length >= this.o.maxQueue) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(octetFrame(alertSyslog(a, this.header)));
    this.pump();
  }

  async close(timeoutMs = CLOSE_TIMEOUT_MS): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < until) {
      this.pump();
      await sleep(10);
    }
    this.closing = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.dropped += this.queue.length;
    this.queue.length = 0;
    const s = this.sock;
    if (s !== null) await new Promise<void>((r) => s.end(() => r()));
  }

  stats(): SinkStats {
    return { sent: this.sent, failed: this.failed, dropped: this.dropped, queued: this.queue.length };
  }
}

/** HTTP(S) POST of each alert as JSON, in order, retrying failures with exponential backoff. */
export class WebhookSink implements AlertSink {
  readonly name: string;
  private readonly queue: string[] = [];
  private readonly o: typeof DEFAULTS;
  private running: Promise<void> | null = null;
  private closing = false;
  private sent = 0;
  private failed = 0;
  private dropped = 0;
  /** Attempts made, for tests and stats. */
  attempts = 0;

  constructor(
    private readonly url: string,
    opts: SinkOptions = {},
  ) {
    this.name = url;
    this.o = { ...DEFAULTS, ...stripUndefined(opts) };
  }

  send(a: Alert): void {
    if (this.queue.length >= this.o.maxQueue) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(alertJson(a));
    // Delivery starts on a later turn of the event loop: even the first fetch() (which loads the
    // HTTP client) never runs on the caller's stack.
    if (this.running === null) this.running = this.run().finally(() => (this.running = null));
  }

  private async run(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const body = this.queue[0];
      let done = false;
      for (let attempt = 0; attempt < this.o.maxAttempts && !done; attempt++) {
        if (attempt > 0) {
          if (this.closing) break;
          await sleep(backoff(attempt - 1, this.o));
        }
        this.attempts++;
        const verdict = await this.post(body);
        if (verdict === 'ok') {
          this.sent++;
          done = true;
        } else if (verdict === 'fatal') {
          break;
        }
      }
      if (!done) this.failed++;
      this.queue.shift();
    }
  }

  /** ok: 2xx; retry: network error, timeout, 408, 429, 5xx; fatal: any other status. */
  private async post(body: string): Promise<'ok' | 'retry' | 'fatal'> {
    try {
      const r = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': `wardline/${VERSION}` },
        body,
        signal: AbortSignal.timeout(this.o.requestTimeoutMs),
      });
      await r.arrayBuffer().catch(() => undefined);
      if (r.status >= 200 && r.status < 300) return 'ok';
      return r.status === 408 || r.status === 429 || r.status >= 500 ? 'retry' : 'fatal';
    } catch {
      return 'retry';
    }
  }

  async close(timeoutMs = CLOSE_TIMEOUT_MS): Promise<void> {
    const running = this.running;
    if (running !== null) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
      await Promise.race([running, timeout]);
      clearTimeout(timer);
    }
    this.closing = true;
    this.dropped += this.queue.length;
    this.queue.length = 0;
  }

  stats(): SinkStats {
    return { sent: this.sent, failed: this.failed, dropped: this.dropped, queued: this.queue.length };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class SinkError extends Error {
  readonly code = 'sink.bad_spec';
}

/**
 * A sink from an `--alerts` value: a file path (or file://), syslog://host[:port] (UDP),
 * syslog+udp://, syslog+tcp://host[:port], or an http(s):// URL. Syslog URLs take
 * `?facility=local4&hostname=name`.
 */
export function openSink(spec: string, opts: SinkOptions = {}): AlertSink {
  if (/^(syslog(\+udp|\+tcp)?|https?):\/\//i.test(spec)) {
    let u: URL;
    try {
      u = new URL(spec);
    } catch {
      throw new SinkError(`not a valid alert destination URL: ${spec}`);
    }
    const scheme = u.protocol.slice(0, -1).toLowerCase();
    if (scheme === 'http' || scheme === 'https') return new WebhookSink(spec, opts);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (host === '') throw new SinkError(`${spec}: a syslog destination needs a host`);
    const port = u.port === '' ? DEFAULT_SYSLOG_PORT : Number(u.port);
    const fac = u.searchParams.get('facility');
    const o: SinkOptions = { ...opts };
    if (fac !== null) {
      const f = FACILITIES[fac.toLowerCase()] ?? (/^\d+$/.test(fac) && Number(fac) <= 23 ? Number(fac) : undefined);
      if (f === undefined) throw new SinkError(`${spec}: unknown syslog facility ${fac}`);
      o.facility = f;
    }
    const hn = u.searchParams.get('hostname');
    if (hn !== null) o.hostname = hn;
    return scheme === 'syslog+tcp' ? new TcpSyslogSink(host, port, o) : new UdpSyslogSink(host, port, o);
  }
  return new JsonlSink(spec.startsWith('file://') ? new URL(spec).pathname : spec);
}
