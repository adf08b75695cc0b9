// Typed events of the syslog analyzer: one per message (Zeek's syslog_message).

export interface SyslogMessageEvent {
  type: 'syslog.message';
  proto: 'udp' | 'tcp';
  facility: number;
  severity: number;
  /** Text after PRI (escaped, at most 1024 bytes of it). */
  message: string;
  truncated: boolean;
  format: string;
  /** The sending device's own name, when the header carries one. */
  hostname?: string;
  app_name?: string;
  proc_id?: string;
  msg_id?: string;
  packet: number;
  [k: string]: unknown;
}
