// intellivue.log: one line per IntelliVue Data Export flow (wardline's; no other monitor logs
// it): the device's identity as it announced it, the association, what was polled, and which
// patient demographics fields held values (names only). The timestamp is the flow's first message.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = [
  'manufacturer', 'model', 'serial', 'part_number', 'software_revision', 'hardware_revision', 'firmware_revision', 'system_type', 'mac', 'announced_ip', 'bed_label',
  'connect_indications', 'association', 'data_messages', 'poll_results', 'polled_objects', 'patient_fields',
] as const;

export const INTELLIVUE_LOGS: Record<string, LogMapper> = { 'intellivue.session': summaryMapper('intellivue', FIELDS) };
