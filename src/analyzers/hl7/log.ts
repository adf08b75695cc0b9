// hl7.log (wardline's own; fields in PRODUCT.md): one line per HL7 message, either direction.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { Hl7MessageEvent } from './events.js';

const TEXT_FIELDS = [
  'sending_application',
  'sending_facility',
  'receiving_application',
  'receiving_facility',
  'message_type',
  'control_id',
  'processing_id',
  'version',
  'ack_code',
  'ack_control_id',
] as const;

export const HL7_LOGS: Record<string, LogMapper> = {
  'hl7.message': (e, c, m) => {
    if (c === null) return null;
    const ev = e as Hl7MessageEvent;
    const rec = connHeader(c, m.tsSec, m.tsNsec);
    rec.is_orig = ev.is_orig;
    for (const k of TEXT_FIELDS) if (ev[k] !== undefined && ev[k] !== '') rec[k] = ev[k];
    if (ev.device_ids.length) rec.device_ids = ev.device_ids;
    if (ev.phi_segments.length) rec.phi_segments = ev.phi_segments;
    rec.segments = ev.segments;
    if (ev.batch_id !== undefined) rec.batch_id = ev.batch_id;
    if (ev.truncated) rec.truncated = true;
    if (ev.transport !== undefined) rec.transport = ev.transport;
    if (ev.relayed === true) rec.relayed = true;
    return { log: 'hl7', record: rec };
  },
};
