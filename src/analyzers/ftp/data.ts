// FTP data connections (RFC 959 §3.2): started by the host on the connection a PORT/EPRT command
// or a PASV/EPSV reply announced (never probed: file contents are no protocol). Each direction's
// bytes are one file, as Zeek's FTP_DATA file analysis has them; the transfer ends with the
// connection (stream mode, §3.4.1).
import type { AnalyzerContext, AnalyzerSpec, FlowAnalyzer } from '../types.js';
import { PROBE_NO } from '../types.js';
import { FileTap } from '../files/file.js';

export class FtpDataAnalyzer implements FlowAnalyzer {
  private orig: FileTap | null = null;
  private resp: FileTap | null = null;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.file(ctx, isOrig).add(ctx, buf, off, len);
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.file(ctx, isOrig).gap(len);
  }

  end(ctx: AnalyzerContext): void {
    // The sender's file first: a transfer goes one way, so at most one of them exists in practice.
    this.orig?.close(ctx);
    this.resp?.close(ctx);
  }

  private file(ctx: AnalyzerContext, isOrig: boolean): FileTap {
    let f = isOrig ? this.orig : this.resp;
    if (f === null) {
      f = new FileTap(ctx, { source: 'FTP_DATA', isOrig }, isOrig ? 0 : 1);
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
  createExpected: () => new FtpDataAnalyzer(),
};
