// Framing of DCE/RPC connection-oriented PDUs (C706 §12.6.3.1 frag_length) over one carrier in
// both directions: a TCP connection, or one SMB named pipe whose writes/reads/transceives are
// pushed here. Whole PDUs up to `maxKeep` bytes are handed on; larger ones as their first bytes
// (every header fits).
import { PduFramer } from '../pdu-framer.js';
import { DCERPC_HEADER_LEN, parseDceRpcHeader, type DceRpcHeader } from './parse.js';

export type DceRpcPduHandler = (isOrig: boolean, h: DceRpcHeader, buf: Uint8Array, off: number, len: number, total: number) => void;

export class DceRpcStream {
  private readonly framers: [PduFramer, PduFramer];

  constructor(maxKeep: number, handler: DceRpcPduHandler) {
    const opts = {
      maxHeader: DCERPC_HEADER_LEN,
      maxKeep,
      lengthOf: (b: Uint8Array, o: number, n: number): number => {
        if (n < DCERPC_HEADER_LEN) return 0;
        const h = parseDceRpcHeader(b, o, n);
        return h === null ? -1 : h.fragLen;
      },
    };
    const sink = (isOrig: boolean) => ({
      pdu: (b: Uint8Array, o: number, n: number, total: number, damaged: boolean): void => {
        if (damaged) return;
        const h = parseDceRpcHeader(b, o, n);
        if (h !== null) handler(isOrig, h, b, o, n, total);
      },
    });
    this.framers = [new PduFramer(opts, sink(true)), new PduFramer(opts, sink(false))];
  }

  /** Returns false once the direction's framing is broken (not DCE/RPC). */
  push(isOrig: boolean, buf: Uint8Array, off: number, len: number): boolean {
    return this.framers[isOrig ? 0 : 1].push(buf, off, len);
  }

  gap(isOrig: boolean, len: number): void {
    this.framers[isOrig ? 0 : 1].gap(len);
  }
}
