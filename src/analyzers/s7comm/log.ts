// s7comm.log: one line per S7comm PDU with PRODUCT.md's fields (function, module, order_number,
// plc_name, serial) and rosctr, the header fields as CISA's icsnpp-s7comm names them, the SZL
// read, and the rest of the identity a SZL answer carried (module_name, plant_id, firmware …).
// s7comm_plus.log: one line per S7comm-plus PDU (version, opcode, function), as icsnpp logs it.
import type { LogMapper } from '../logs.js';
import { connFields, putSet } from '../connid.js';
import { REDACTED } from '../secret.js';
import type { S7commMessage, S7commPlusMessage } from './events.js';

const s7Log: LogMapper = (e, c, m) => {
  if (c === null) return null;
  const ev = e as S7commMessage;
  const rec = connFields(c, m);
  rec.is_orig = ev.is_orig;
  putSet(rec, {
    rosctr_code: ev.rosctr_code,
    rosctr: ev.rosctr,
    pdu_reference: ev.pdu_reference,
    function_code: ev.function_code,
    function: ev.function,
    subfunction_code: ev.subfunction_code,
    subfunction: ev.subfunction,
    error_class: ev.error_class,
    error_code: ev.error_code,
    more_follows: ev.more_follows === true ? true : undefined,
    szl_id: ev.szl_id,
    szl_name: ev.szl_name,
    szl_index: ev.szl_index,
    return_code: ev.return_code,
    password: ev.password_sent ? REDACTED : undefined,
    module: ev.module,
    order_number: ev.order_number,
    hardware_order_number: ev.hardware_order_number,
    firmware: ev.firmware,
    plc_name: ev.plc_name,
    module_name: ev.module_name,
    plant_id: ev.plant_id,
    serial: ev.serial,
    copyright: ev.copyright,
    memory_card_serial: ev.memory_card_serial,
    location: ev.location,
  });
  return { log: 's7comm', record: rec };
};

const s7PlusLog: LogMapper = (e, c, m) => {
  if (c === null) return null;
  const ev = e as S7commPlusMessage;
  const rec = connFields(c, m);
  rec.is_orig = ev.is_orig;
  putSet(rec, { version: ev.version, opcode_code: ev.opcode_code, opcode: ev.opcode, function_code: ev.function_code, function: ev.function });
  return { log: 's7comm_plus', record: rec };
};

export const S7COMM_LOGS: Record<string, LogMapper> = { 's7comm.message': s7Log, 's7comm_plus.message': s7PlusLog };
