// dicom.log (wardline's own; fields in PRODUCT.md): one line per association, written when it
// is released, aborted, rejected or its connection ends. No patient values, no passcode.
import type { LogMapper } from '../logs.js';
import type { DicomAssociation } from './events.js';
import { connHeader } from '../connid.js';

const OPTIONAL = [
  'calling_ae',
  'called_ae',
  'application_context',
  'implementation_class_uid',
  'implementation_version',
  'responder_implementation_class_uid',
  'responder_implementation_version',
  'user_identity_type',
] as const;

export const DICOM_LOGS: Record<string, LogMapper> = {
  'dicom.association': (e, c) => {
    if (c === null) return null;
    const ev = e as DicomAssociation;
    const rec: Record<string, unknown> = connHeader(c, ev.tsSec, ev.tsNsec);
    for (const k of OPTIONAL) if (ev[k] !== undefined) rec[k] = ev[k];
    if (ev.abstract_syntaxes.length) rec.abstract_syntaxes = ev.abstract_syntaxes;
    if (ev.transfer_syntaxes.length) rec.transfer_syntaxes = ev.transfer_syntaxes;
    if (ev.accepted_transfer_syntaxes.length) rec.accepted_transfer_syntaxes = ev.accepted_transfer_syntaxes;
    if (ev.commands.length) rec.commands = ev.commands;
    if (ev.failed_commands) rec.failed_commands = ev.failed_commands;
    rec.result = ev.result;
    if (ev.end) rec.end = ev.end;
    rec.phi = ev.phi;
    if (ev.phi_tags.length) rec.phi_tags = ev.phi_tags;
    return { log: 'dicom', record: rec };
  },
};
