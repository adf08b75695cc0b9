// FTP data connections (RFC 959 §3.2): started by the host on the connection a PORT/EPRT command
// or a PASV/EPSV reply announced (never probed: file contents are no protocol). Each direction's
// bytes are one file, as Zeek's FTP_DATA file analysis has them; the transfer ends with the
// connection (stream mode, §3.4.1). The file's fuid and media type go back to the control
// connection's transfer command (ftp.log), through the link its announcement created.
import type { AnalyzerContext, AnalyzerSpec, FlowAnalyzer } from '../types.js';
import { PROBE_NO } from '../types.js';
import { FileTap } from '../files/file.js';
import type { FtpDataLink } from './events.js';

/** Chunks the media type is looked for in before the file ends. */
const MAX_EARLY_SNIFFS = 2;

export class FtpDataAnalyzer implements FlowAnalyzer {
  private orig: FileTap | null = null;
  private resp: FileTap | null = null;

  /** Early media-type looks taken (the first chunks fill the bytes it reads). */
  private sniffs = 0;

  constructor(private readonly link: FtpDataLink | null = null) {}

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const f = this.file(ctx, isOrig);
    f.add(ctx, buf, off, len);
    // The control connection logs the transfer when its reply comes, usually before this
    // connection ends: the media type as the first bytes tell it, settled at the file's end.
    const l = this.link;
    if (l !== null && l.fuid === f.fuid && l.mime_type === undefined && this.sniffs++ < MAX_EARLY_SNIFFS) {
      const m = f.mimeNow();
      if (m !== null) l.mime_type = m;
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.file(ctx, isOrig).gap(len);
  }

  end(ctx: AnalyzerContext): void {
    // The sender's file first: a transfer goes one way, so at most one of them exists in practice.
    for (const f of [this.orig, this.resp]) {
      const ev = f?.close(ctx);
      if (ev != null && this.link !== null && this.link.fuid === ev.fuid && ev.mime_type !== undefined) this.link.mime_type = ev.mime_type;
    }
  }

  private file(ctx: AnalyzerContext, isOrig: boolean): FileTap {
    let f = isOrig ? this.orig : this.resp;
    if (f === null) {
      f = new FileTap(ctx, { source: 'FTP_DATA', isOrig }, isOrig ? 0 : 1);
      if (this.link !== null && this.link.fuid === undefined) this.link.fuid = f.fuid;
      if (isOrig) this.orig = f;
      else this.resp = f;
    }
    return f;
  }
}

export const FTP_DATA: AnalyzerSpec = {
  name: 'ftp-data',
  tcp: true,
  udp: false,
  ports: [],
  probe: () => PROBE_NO,
  // Only ever started on an announced connection (createExpected), never by probing.
  firstBytes: [],
  create: () => new FtpDataAnalyzer(),
  createExpected: (init) => new FtpDataAnalyzer((init as FtpDataLink | null) ?? null),
};
