// Per-flow Modbus/TCP state: frames ADUs out of each direction's stream (bounded), emits one
// event per PDU, and a software event when a device identifies itself.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFlowAnalyzer } from '../framing.js';
import { respHost } from '../connid.js';
import { mbapFrameLength, parseAdu } from './parse.js';
import type { ModbusMessage } from './events.js';

/** Largest ADU: 7-byte MBAP header + 253-byte PDU. */
const MAX_ADU = 260;

export class ModbusAnalyzer extends PduFlowAnalyzer implements FlowAnalyzer {
  private confirmed = false;

  constructor() {
    super(MAX_ADU, 'modbus.bad_mbap_header');
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    return mbapFrameLength(buf, off, len);
  }

  pdu(buf: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    const r = parseAdu(buf, off, len);
    if (r === 'bad') {
      ctx.weird('modbus.bad_pdu');
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('modbus');
    }
    const ev: ModbusMessage = { type: 'modbus.message', tid: r.tid, unit: r.unit, fc: r.fc, is_orig: this.isOrig, packet: ctx.packet.packetNo };
    if (r.exception !== undefined) ev.exception = r.exception;
    if (r.mei !== undefined) ev.mei = r.mei;
    if (r.deviceId !== undefined) ev.device_id = r.deviceId;
    ctx.emit(ev);
    const o = r.deviceId?.objects;
    if (o !== undefined && (o.product_name || o.product_code || o.vendor_name)) {
      const name = [o.vendor_name, o.product_name ?? o.model_name ?? o.product_code].filter((x) => x).join(' ');
      ctx.emit({
        type: 'software',
        host: respHost(ctx.conn),
        host_p: ctx.conn.rPort,
        software_type: 'MODBUS::DEVICE',
        unparsed_version: o.revision ? `${name} ${o.revision}` : name,
      });
    }
  }
}
