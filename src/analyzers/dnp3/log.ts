// dnp3.log: Zeek's fields (fc_request, fc_reply, iin; base/protocols/dnp3/main.zeek), one line
// per request/reply pair, plus `objects` (the object types the request names) and `command`
// for a request that operates the outstation, as iec104.log marks commands.
import type { LogMapper } from '../logs.js';
import { connHeader, putSet } from '../connid.js';
import { functionName } from './parse.js';
import type { Dnp3Transaction } from './events.js';

const dnp3Log: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as Dnp3Transaction;
  const rec = connHeader(c, ev.ts_sec, ev.ts_nsec);
  putSet(rec, {
    fc_request: ev.fc_request !== undefined ? functionName(ev.fc_request) : undefined,
    fc_reply: ev.fc_reply !== undefined ? functionName(ev.fc_reply) : undefined,
    iin: ev.iin,
    objects: ev.objects,
    command: ev.command === true ? true : undefined,
  });
  return { log: 'dnp3', record: rec };
};

export const DNP3_LOGS: Record<string, LogMapper> = { 'dnp3.transaction': dnp3Log };
