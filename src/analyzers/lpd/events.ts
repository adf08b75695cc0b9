// Typed events of the LPD analyzer. No document content: data files are counted, never kept.

/** One print job received (or one status, print or remove command), reported when the connection ends (lpd.log). */
export interface LpdRequest {
  type: 'lpd.request';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** receive_job, print_waiting, queue_state_short, queue_state_long or remove_jobs. */
  command: string;
  queue: string;
  /** The command's operands after the queue (user names, job numbers; for remove_jobs, the agent first). */
  operands: string[];
  /** From the control file: its H, P, C, L and M lines and the print lines' formats. */
  control_file?: string;
  host?: string;
  user?: string;
  class?: string;
  banner_user?: string;
  mail_to?: string;
  /** The job had a name, title or source file names (never logged: often a patient's name). */
  named?: boolean;
  formats?: string[];
  /** receive_job: data files announced and their bytes. */
  data_files?: number;
  data_bytes?: number;
  aborted?: boolean;
  /** Every part of the job answered with 0 (accepted), or the first non-zero answer. */
  accepted?: boolean;
  refused_code?: number;
  /** Status and remove commands: the first line of the server's answer and its size. */
  reply?: string;
  reply_bytes?: number;
  [k: string]: unknown;
}
