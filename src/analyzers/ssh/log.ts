// ssh.log as Zeek writes it (base/protocols/ssh/main.zeek), plus the HASSH fields of the hassh
// Zeek package: hassh and hasshServer.
import type { LogMapper } from '../logs.js';
import type { SshSession } from './events.js';
import { connHeader } from '../connid.js';

const FIELDS = ['version', 'auth_success', 'auth_attempts', 'client', 'server', 'cipher_alg', 'mac_alg', 'compression_alg', 'kex_alg', 'host_key_alg', 'host_key', 'hassh', 'hasshServer'] as const;

const sshLog: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as SshSession;
  const r: Record<string, unknown> = connHeader(c, ev.ts_sec, ev.ts_nsec);
  for (const f of FIELDS) if (ev[f] !== undefined) r[f] = ev[f];
  return { log: 'ssh', record: r };
};

export const SSH_LOGS: Record<string, LogMapper> = { 'ssh.session': sshLog };
