// iec104.log: one line per APDU (or per run of identical non-command APDUs, see analyzer.ts),
// with PRODUCT.md's fields `type` (type identification mnemonic), `cot` (cause of transmission)
// and `asdu_addr` (common address of ASDU), plus the APCI format and U function, direction,
// object count, SQ / negative / test flags, originator address, `command` for a command issued
// in the control direction with the information object it operates, and `count` for a run.
import type { LogMapper } from '../logs.js';
import { connHeader, putSet } from '../connid.js';
import { cotName, typeName } from './parse.js';
import type { Iec104Apdu } from './events.js';

const iec104Log: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as Iec104Apdu;
  const rec = connHeader(c, ev.ts_sec, ev.ts_nsec);
  rec.is_orig = ev.is_orig;
  rec.apci_type = ev.apci_type;
  const asdu = ev.type_id !== undefined;
  putSet(rec, {
    u_func: ev.u_func,
    type: asdu ? typeName(ev.type_id!) : undefined,
    cot: ev.cot !== undefined ? cotName(ev.cot) : undefined,
    asdu_addr: ev.asdu_addr,
    originator: asdu ? ev.originator : undefined,
    num_objects: ev.num_objects,
    sq: ev.sq === true ? true : undefined,
    negative: ev.negative === true ? true : undefined,
    test: ev.test === true ? true : undefined,
    command: ev.command === true ? true : undefined,
    ioa: ev.command === true ? ev.ioa : undefined,
    count: ev.count > 1 ? ev.count : undefined,
  });
  return { log: 'iec104', record: rec };
};

export const IEC104_LOGS: Record<string, LogMapper> = { 'iec104.apdu': iec104Log };
