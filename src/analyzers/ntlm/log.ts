// ntlm.log (Zeek's base/protocols/ntlm fields) plus wardline's client_version/server_version.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';

const OPTIONAL = [
  'username',
  'hostname',
  'domainname',
  'server_nb_computer_name',
  'server_dns_computer_name',
  'server_tree_name',
  'success',
  'client_version',
  'server_version',
] as const;

export const NTLM_LOGS: Record<string, LogMapper> = {
  'ntlm.auth': (ev, c) => {
    if (c === null) return null;
    const rec: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec as number, ev.tsNsec as number)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
    };
    for (const k of OPTIONAL) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'ntlm', record: rec };
  },
};
