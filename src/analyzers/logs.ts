// Event → log record mappers, one entry per event type (the equivalent of Zeek's protocol
// scripts). Analyzers stay free of logging; each protocol's log.ts decides what its lines hold,
// and this table gathers them.
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import type { AppEvent } from './types.js';
import { SOFTWARE_LOGS } from './software.js';
import { NTLM_LOGS } from './ntlm/log.js';
import { SMB_LOGS } from './smb/log.js';
import { LDAP_LOGS } from './ldap/log.js';
import { RDP_LOGS } from './rdp/log.js';
import { MYSQL_LOGS } from './mysql/log.js';

export interface LogOut {
  log: string;
  record: object;
}

/** Per-run state a mapper may use, e.g. to log something once per run. */
export class LogRun {
  private readonly seen = new Set<string>();
  /** True the first time `key` is offered in this run (bounded memory). */
  once(key: string): boolean {
    if (this.seen.has(key)) return false;
    if (this.seen.size < 200_000) this.seen.add(key);
    return true;
  }
}

/** `c` is null for link-layer (frame) events. */
export type LogMapper = (ev: AppEvent, c: Conn | null, m: PacketMeta, run: LogRun) => LogOut | null;

export const LOG_MAPPERS: Record<string, LogMapper> = {
  ...SOFTWARE_LOGS,
  ...NTLM_LOGS,
  ...SMB_LOGS,
  ...LDAP_LOGS,
  ...RDP_LOGS,
  ...MYSQL_LOGS,
};
