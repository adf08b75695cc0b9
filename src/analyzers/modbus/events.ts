// Typed events of the Modbus analyzer.
import type { DeviceIdentification } from './parse.js';

/** One Modbus PDU, request or response (Zeek's modbus_message / modbus_exception). */
export interface ModbusMessage {
  type: 'modbus.message';
  tid: number;
  unit: number;
  fc: number;
  is_orig: boolean;
  exception?: number;
  mei?: number;
  /** A Read Device Identification response's objects (vendor, product code, revision …). */
  device_id?: DeviceIdentification;
  packet: number;
  [k: string]: unknown;
}
