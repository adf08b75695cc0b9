// intellivue.log: one line per IntelliVue Data Export flow (wardline's; no other monitor logs
// it): the device's identity as it announced it, the association, what was polled, and which
// patient demographics fields held values (names only). The timestamp is the flow's first message.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = [
  'manufacturer', 'model', 'serial', 'part_number', 'software_revision', 'hardware_revision', 'firmware_revision', 'system_type', 'mac', 'announced_ip', 'bed_label',
  'connect_indications', 'association', 'data_messages', 'poll_results', 'polled_objects', 'patient_fields',
] as const;

const session: LogMapper = (ev, c) => {
  if (c === null) return null;
  const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
  for (const f of FIELDS) {
    const v = ev[f];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    r[f] = v;
  }
  return { log: 'intellivue', record: r };
};

export const INTELLIVUE_LOGS: Record<string, LogMapper> = { 'intellivue.session': session };
