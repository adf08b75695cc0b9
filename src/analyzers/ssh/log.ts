// ssh.log as Zeek writes it (base/protocols/ssh/main.zeek), plus the HASSH fields of the hassh
// Zeek package: hassh and hasshServer.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import type { SshSession } from './events.js';

const FIELDS = ['version', 'auth_success', 'auth_attempts', 'client', 'server', 'cipher_alg', 'mac_alg', 'compression_alg', 'kex_alg', 'host_key_alg', 'host_key', 'hassh', 'hasshServer'] as const;

const sshLog: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as SshSession;
  const r: Record<string, unknown> = {
    ts: Number(formatTime(ev.ts_sec, ev.ts_nsec)),
    uid: connUid(c),
    'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
    'id.orig_p': c.oPort,
    'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
    'id.resp_p': c.rPort,
  };
  for (const f of FIELDS) if (ev[f] !== undefined) r[f] = ev[f];
  return { log: 'ssh', record: r };
};

export const SSH_LOGS: Record<string, LogMapper> = { 'ssh.session': sshLog };
