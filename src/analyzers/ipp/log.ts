// ipp.log (wardline's own; Zeek has none): one line per IPP request/response, with the fields
// PRODUCT.md names (operation, requesting_user_name, printer_make_and_model) and what else
// identifies the printer. Job and document names are never logged (see parse.ts).
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { IppTransactionEvent } from './events.js';

const FIELDS = ['version', 'operation', 'status', 'requesting_user_name', 'printer_uri', 'document_format', 'status_message', 'printer_make_and_model', 'printer_device_id', 'printer_info', 'printer_location', 'printer_name', 'printer_firmware'] as const;

const transaction: LogMapper = (e, c) => {
  const ev = e as IppTransactionEvent;
  if (c === null) return null;
  const r = connHeader(c, ev.tsSec, ev.tsNsec);
  for (const f of FIELDS) if (ev[f] !== undefined) r[f] = ev[f];
  return { log: 'ipp', record: r };
};

export const IPP_LOGS: Record<string, LogMapper> = { 'ipp.transaction': transaction };
