// modbus.log: Zeek's fields (ts uid id.* tid unit func pdu_type exception), one line per PDU as
// Zeek writes them, plus wardline's `device_id` object when a device identified itself.
import type { LogMapper } from '../logs.js';
import { connFields } from '../connid.js';
import { exceptionName, functionName } from './parse.js';
import type { ModbusMessage } from './events.js';

const modbusLog: LogMapper = (e, c, m) => {
  if (c === null) return null;
  const ev = e as ModbusMessage;
  const rec = connFields(c, m);
  rec.tid = ev.tid;
  rec.unit = ev.unit;
  rec.func = functionName(ev.fc);
  rec.pdu_type = ev.is_orig ? 'REQ' : 'RESP';
  if (ev.exception !== undefined) rec.exception = exceptionName(ev.exception);
  if (ev.device_id !== undefined) {
    rec.device_id = {
      ...ev.device_id.objects,
      read_code: ev.device_id.readCode,
      conformity_level: ev.device_id.conformity,
    };
  }
  return { log: 'modbus', record: rec };
};

export const MODBUS_LOGS: Record<string, LogMapper> = { 'modbus.message': modbusLog };
