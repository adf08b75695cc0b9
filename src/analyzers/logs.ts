// Event → log record mappers, one entry per event type (the equivalent of Zeek's protocol
// scripts). Analyzers stay free of logging; this table decides what each log line holds.
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import type { AppEvent } from './types.js';

export interface LogOut {
  log: string;
  record: object;
}

export type LogMapper = (ev: AppEvent, c: Conn, m: PacketMeta) => LogOut | null;

export const LOG_MAPPERS: Record<string, LogMapper> = {};
