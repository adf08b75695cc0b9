// Typed events of the NTP analyzer: one per message (Zeek's ntp_message).

export interface NtpMessageEvent {
  type: 'ntp.message';
  is_orig: boolean;
  version: number;
  mode: number;
  stratum?: number;
  /** Seconds (2^poll, 2^precision), as Zeek's intervals. */
  poll?: number;
  precision?: number;
  root_delay?: number;
  root_disp?: number;
  ref_id?: string;
  ref_time?: number;
  org_time?: number;
  rec_time?: number;
  xmt_time?: number;
  num_exts?: number;
  /** Mode 6 (control) opcode or mode 7 (private) request code: ntpq/ntpdc use, monlist. */
  control_opcode?: number;
  private_request?: number;
  is_response?: boolean;
  packet: number;
  [k: string]: unknown;
}
