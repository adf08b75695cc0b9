// Per-flow TFTP state (RFC 1350 §4): the request goes to port 69; the server answers from a new
// port (its transfer identifier) to the client's port, and DATA/ACK run on that second flow.
// The request flow's analyzer creates the transfer and asks the host to expect the second flow
// (`tftp.expect`); the host starts this analyzer there with the same transfer, so its blocks are
// counted and the transfer is logged once with both flows' uids (Zeek's spicy-tftp does the
// same with schedule_analyzer). A server that answers from port 69 itself is followed on the
// request flow. One transfer at a time per flow: nothing accumulates. The blocks' data is the
// transferred file (files.log, source TFTP: firmware and configuration pushed to phones, pumps
// and PXE clients), hashed as sent on the wire (a netascii transfer's CR LF as sent).
import { connUid } from '../../flow/uid.js';
import { origHost, respHost } from '../connid.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { FileTap } from '../files/file.js';
import type { TftpTransfer } from './events.js';
import { BLOCK_HDR_LEN, MAX_BLKSIZE, OP_ACK, OP_DATA, OP_ERROR, OP_OACK, OP_RRQ, OP_WRQ, isWellFormedRequest, parseTftp, type TftpRequest } from './parse.js';

/** RFC 1350 §6: a DATA block shorter than this ends the file, unless blksize says otherwise. */
export const DEFAULT_BLKSIZE = 512;
/** RFC 2348 §2: the smallest block size an OACK may set. */
const MIN_BLKSIZE = 8;
/** Block numbers are 16 bits; a step forward of less than half the space is a new block. */
const BLOCK_MOD = 0x10000;
const BLOCK_HALF = 0x8000;

export const TFTP_SERVICE = 'tftp';
/** The transfer flow's service, as FTP's data connections are "ftp-data" (Zeek's spicy-tftp: spicy_tftp_data). */
export const TFTP_DATA_SERVICE = 'tftp-data';

export class TftpAnalyzer implements FlowAnalyzer {
  private t: TftpTransfer | null;
  /** True on a transfer flow the host started from a request's expectation. */
  private readonly transferFlow: boolean;
  /** The file of the transfer whose blocks this flow carries, and the files counted on it. */
  private file: FileTap | null = null;
  private files = 0;

  constructor(transfer: TftpTransfer | null = null) {
    this.t = transfer;
    this.transferFlow = transfer !== null;
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const p = parseTftp(buf, off, len);
    if (p === 'bad') {
      ctx.weird('tftp.bad_packet');
      return;
    }
    if (p.op === OP_RRQ || p.op === OP_WRQ) {
      if (this.transferFlow || !isOrig) {
        ctx.weird('tftp.unexpected_request');
        return;
      }
      this.request(ctx, p);
      return;
    }
    const t = this.t;
    // Blocks on the request flow belong to its transfer only while no transfer flow took it.
    if (t === null || t.done || (!this.transferFlow && t.uid_data !== undefined)) {
      ctx.weird('tftp.packet_without_request');
      return;
    }
    if (this.transferFlow) {
      if (t.uid_data === undefined) t.uid_data = connUid(ctx.conn);
      ctx.confirm(TFTP_DATA_SERVICE);
    } else ctx.confirm(TFTP_SERVICE);
    switch (p.op) {
      case OP_DATA: {
        const step = (p.block - (t.block_sent % BLOCK_MOD) + BLOCK_MOD) % BLOCK_MOD;
        // A repeated or older block is a retransmission: not counted again.
        if (step === 0 || step >= BLOCK_HALF) return;
        this.file ??= new FileTap(ctx, { source: 'TFTP', isOrig, filename: t.fname }, this.files++);
        // Blocks skipped were lost in the capture: each but the last is a full block.
        if (step > 1) this.file.gap((step - 1) * t.blksize);
        this.file.add(ctx, buf, off + BLOCK_HDR_LEN, p.dataLen);
        t.block_sent += step;
        t.size += p.dataLen;
        if (p.dataLen < t.blksize) t.final_block = t.block_sent;
        return;
      }
      case OP_ACK: {
        const step = (p.block - (t.block_acked % BLOCK_MOD) + BLOCK_MOD) % BLOCK_MOD;
        if (step === 0 || step >= BLOCK_HALF) return;
        t.block_acked += step;
        if (t.final_block > 0 && t.block_acked >= t.final_block) this.finish(ctx, t);
        return;
      }
      case OP_OACK: {
        const b = Number(p.options.blksize);
        if (Number.isInteger(b) && b >= MIN_BLKSIZE && b <= MAX_BLKSIZE) t.blksize = b;
        return;
      }
      case OP_ERROR:
        t.error_code = p.code;
        t.error_msg = p.msg;
        this.finish(ctx, t);
        return;
    }
  }

  end(ctx: AnalyzerContext): void {
    const t = this.t;
    // The transfer flow reports its transfer; the request flow only one no transfer flow took.
    if (t !== null && !t.done && (this.transferFlow || t.uid_data === undefined)) this.finish(ctx, t);
  }

  private request(ctx: AnalyzerContext, r: TftpRequest): void {
    if (!isWellFormedRequest(r)) {
      ctx.weird('tftp.bad_request');
      return;
    }
    ctx.confirm(TFTP_SERVICE);
    const wrq = r.op === OP_WRQ;
    const prev = this.t;
    const c = ctx.conn;
    const m = ctx.packet;
    if (prev !== null && !prev.done && prev.uid_data === undefined) {
      // The client repeating its request (RFC 1350 §2: it times out and resends) is one transfer.
      if (prev.fname === r.fname && prev.mode === r.mode && prev.wrq === wrq && prev.block_sent === 0 && prev.error_code === undefined) {
        ctx.emit({ type: 'tftp.expect', orig_h: prev.resp_h, host: prev.orig_h, port: prev.orig_p, transfer: prev });
        return;
      }
      this.finish(ctx, prev);
    }
    const t: TftpTransfer = {
      tsSec: m.tsSec,
      tsNsec: m.tsNsec,
      packet: m.packetNo,
      uid: connUid(c),
      orig_h: origHost(c),
      orig_p: c.oPort,
      resp_h: respHost(c),
      resp_p: c.rPort,
      wrq,
      fname: r.fname,
      mode: r.mode,
      options: r.options,
      size: 0,
      block_sent: 0,
      block_acked: 0,
      blksize: DEFAULT_BLKSIZE,
      final_block: 0,
      done: false,
    };
    this.t = t;
    ctx.emit({ type: 'tftp.request', client: t.orig_h, server: t.resp_h, wrq, fname: t.fname, mode: t.mode, options: t.options, packet: m.packetNo });
    ctx.emit({ type: 'tftp.expect', orig_h: t.resp_h, host: t.orig_h, port: t.orig_p, transfer: t });
  }

  private finish(ctx: AnalyzerContext, t: TftpTransfer): void {
    t.done = true;
    // Without its short last block (an error, or the capture ended) the file did not end.
    this.file?.close(ctx, t.error_code !== undefined || t.final_block === 0);
    this.file = null;
    ctx.emit({ type: 'tftp.transfer', transfer: t });
  }
}
