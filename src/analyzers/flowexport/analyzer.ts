// Per-flow state of exported flow telemetry (one exporter → collector UDP flow): each datagram's
// header read; datagrams, records and sequence gaps counted (an sFlow agent and NetFlow v5 count
// in their own units, v9 and IPFIX per datagram or record; a gap is reported only where the unit
// is the datagram: sFlow and NetFlow v9). One flowexport.session when the flow ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { origHost, respHost } from '../connid.js';
import { parseExport, type ExportHeader } from './parse.js';

export class FlowExportAnalyzer implements FlowAnalyzer {
  private first: ExportHeader | null = null;
  private datagrams = 0;
  private records = 0;
  private lost = 0;
  private lastSeq = -1;
  private packet = 0;
  private tsSec = 0;
  private tsNsec = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (!isOrig) return;
    const h = parseExport(buf, off, len);
    if (h === null) {
      if (this.first === null) ctx.release();
      else ctx.weird(`${this.first.protocol}.bad_datagram`);
      return;
    }
    if (this.first === null) {
      this.first = h;
      const p = ctx.packet;
      this.packet = p.packetNo;
      this.tsSec = p.tsSec;
      this.tsNsec = p.tsNsec;
      ctx.confirm(h.protocol);
    }
    this.datagrams++;
    this.records += h.records;
    // sFlow and NetFlow v9 number their datagrams: a jump forward is datagrams lost on the way.
    if (h.protocol === 'sflow' || h.version === 9) {
      if (this.lastSeq >= 0 && h.sequence > this.lastSeq + 1 && h.sequence - this.lastSeq < 1_000_000) this.lost += h.sequence - this.lastSeq - 1;
      this.lastSeq = h.sequence;
    }
  }

  end(ctx: AnalyzerContext): void {
    const h = this.first;
    if (h === null) return;
    this.first = null;
    const c = ctx.conn;
    ctx.emit({
      type: 'flowexport.session',
      packet: this.packet,
      tsSec: this.tsSec,
      tsNsec: this.tsNsec,
      exporter: origHost(c),
      collector: respHost(c),
      collector_p: c.rPort,
      protocol: h.protocol,
      version: h.version,
      agent: h.agent,
      domain: h.domain,
      datagrams: this.datagrams,
      records: this.records,
      lost: this.lost,
      uptime_ms: h.uptimeMs,
    });
  }
}
