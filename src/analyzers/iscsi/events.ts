// Typed events of the iSCSI analyzer.

/** A logical unit as the target described it (INQUIRY, the serial number page, READ CAPACITY). */
export interface IscsiLun {
  lun: number;
  device_type?: string;
  vendor?: string;
  product?: string;
  revision?: string;
  serial?: string;
  /** Bytes. */
  capacity?: number;
}

/** One TCP connection of an iSCSI session: its login, what it discovered, what it read and wrote. */
export interface IscsiSession {
  type: 'iscsi.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Discovery or Normal (absent when the login was not seen). */
  session_type?: string;
  initiator_name?: string;
  initiator_alias?: string;
  target_name?: string;
  target_alias?: string;
  /**
   * CHAP, or None: the target chose None, or the login went straight to the operational stage
   * (no security negotiation at all). Absent when the login was not seen.
   */
  auth_method?: string;
  /** CHAP_N: the user name the initiator authenticated as (its response is never kept). */
  chap_user?: string;
  /** The last Login Response's status in RFC 7143's words ("success", "authentication failure" …). */
  login_status?: string;
  /** The login reached the full feature phase. */
  logged_in: boolean;
  header_digest?: string;
  data_digest?: string;
  /** SendTargets answers: target names, and their addresses. */
  targets: string[];
  target_addresses: string[];
  luns: IscsiLun[];
  /** SCSI commands, READ and WRITE commands among them, and the data each way (bytes). */
  commands: number;
  reads: number;
  writes: number;
  bytes_read: number;
  bytes_written: number;
  /** PDUs the target rejected (Reject), and SCSI commands that ended in CHECK CONDITION or worse. */
  rejects: number;
  scsi_errors: number;
  [k: string]: unknown;
}
