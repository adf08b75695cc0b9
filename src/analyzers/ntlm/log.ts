// ntlm.log (Zeek's base/protocols/ntlm fields) plus wardline's client_version/server_version and
// ntlm_v1 (the client answered with an NTLMv1 response, crackable to the account's NT hash).
import type { LogMapper } from '../logs.js';
import { connHeader } from '../connid.js';

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
  'ntlm_v1',
] as const;

export const NTLM_LOGS: Record<string, LogMapper> = {
  'ntlm.auth': (ev, c) => {
    if (c === null) return null;
    const rec: Record<string, unknown> = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    for (const k of OPTIONAL) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'ntlm', record: rec };
  },
};
