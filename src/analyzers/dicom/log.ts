// dicom.log (wardline's own; fields in PRODUCT.md): one line per association, written when it
// is released, aborted, rejected or its connection ends. No patient values, no passcode.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import type { DicomAssociation } from './events.js';

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
    const rec: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec, ev.tsNsec)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
    };
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
