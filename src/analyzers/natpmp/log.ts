// natpmp.log (wardline's own; Zeek has none): one line per NAT-PMP or PCP request and its answer
// — protocol, opcode, result, the mapping (transport, internal address and port, requested and
// granted external port, requested and granted lifetime, external address), PCP's third-party
// and peer fields and options — or per announcement.
import { connHeader, putSet } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { PortMapEvent } from './events.js';

const FIELDS = ['result', 'epoch', 'transport', 'internal_ip', 'internal_port', 'requested_external_port', 'external_port', 'external_ip', 'requested_lifetime', 'lifetime', 'third_party', 'remote_ip', 'remote_port', 'options'] as const;

const transaction: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as PortMapEvent;
  const rec = connHeader(c, ev.tsSec, ev.tsNsec);
  rec.protocol = ev.protocol;
  rec.opcode = ev.opcode;
  putSet(rec, { client: ev.client });
  rec.server = ev.server;
  rec.answered = ev.answered;
  const f: Record<string, unknown> = {};
  for (const k of FIELDS) f[k] = ev[k];
  putSet(rec, f);
  return { log: 'natpmp', record: rec };
};

export const NATPMP_LOGS: Record<string, LogMapper> = { 'natpmp.transaction': transaction };
