// astm.log (wardline's own): one line per ASTM message (Header to Terminator), either direction.
// Patient records are counted and the patient fields they fill named; no value of them, and no
// result value, is logged; an access password is logged as "<redacted>".
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';
import type { AstmMessageEvent } from './events.js';

const TEXT_FIELDS = ['control_id', 'sender_id', 'receiver_id', 'processing_id', 'version', 'message_time'] as const;

export const ASTM_LOGS: Record<string, LogMapper> = {
  'astm.message': (e, c, m) => {
    if (c === null) return null;
    const ev = e as AstmMessageEvent;
    const rec = connHeader(c, m.tsSec, m.tsNsec);
    rec.is_orig = ev.is_orig;
    rec.framing = ev.framing;
    for (const k of TEXT_FIELDS) if (ev[k] !== '') rec[k] = ev[k];
    if (ev.password_sent) rec.password = REDACTED;
    rec.record_types = ev.record_types;
    rec.patients = ev.patients;
    rec.orders = ev.orders;
    rec.results = ev.results;
    if (ev.queries > 0) rec.queries = ev.queries;
    if (ev.comments > 0) rec.comments = ev.comments;
    if (ev.tests.length > 0) rec.tests = ev.tests;
    if (ev.phi_fields.length > 0) rec.phi_fields = ev.phi_fields;
    rec.terminated = ev.terminated;
    if (ev.checksum_errors > 0) rec.checksum_errors = ev.checksum_errors;
    if (ev.truncated) rec.truncated = true;
    return { log: 'astm', record: rec };
  },
};
