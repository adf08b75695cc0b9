// poct1a.log (wardline's own): one line per POCT1-A message, either direction: message type,
// header control id and version, the device identity of a HEL.R01 (DEV.*), acknowledgement and
// directive codes, how many observations and which analytes, and the names of the patient fields
// that carried a value. No patient value, result value or operator id is logged.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { PoctMessageEvent } from './events.js';

const TEXT_FIELDS = ['control_id', 'version_id', 'device_id', 'vendor_id', 'model_id', 'serial_id', 'manufacturer_name', 'hw_version', 'sw_version', 'device_name', 'ack_type', 'command'] as const;

export const POCT1A_LOGS: Record<string, LogMapper> = {
  'poct1a.message': (e, c, m) => {
    if (c === null) return null;
    const ev = e as PoctMessageEvent;
    const rec = connHeader(c, m.tsSec, m.tsNsec);
    rec.message_type = ev.message_type;
    rec.is_orig = ev.is_orig;
    for (const k of TEXT_FIELDS) if (ev[k] !== undefined) rec[k] = ev[k];
    if (ev.observations > 0) rec.observations = ev.observations;
    if (ev.observation_ids.length > 0) rec.observation_ids = ev.observation_ids;
    if (ev.patient_fields.length > 0) rec.patient_fields = ev.patient_fields;
    if (ev.operators > 0) rec.operators = ev.operators;
    return { log: 'poct1a', record: rec };
  },
};
