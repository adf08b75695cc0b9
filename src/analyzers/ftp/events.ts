// Typed events of the FTP analyzer.

/** A command with its final reply (or none, at connection end): one ftp.log line. */
export interface FtpCommandEvent {
  type: 'ftp.command';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** The session's user at reply time ("<unknown>" before USER, as Zeek). */
  user: string;
  password_sent: boolean;
  command: string;
  /** PASS arguments are replaced by "<redacted>"; file commands carry ftp:// URLs. */
  arg?: string;
  file_size?: number;
  reply_code?: number;
  reply_msg?: string;
  data_channel?: { passive: boolean; orig_h: string; resp_h: string; resp_p: number };
  /** The file its data connection carried (files.log), and that file's sniffed media type. */
  fuid?: string;
  mime_type?: string;
  [k: string]: unknown;
}

/**
 * What a data connection tells its control connection: the file it carried. Shared between the
 * FTP analyzer (which logs it on the transfer command, as Zeek's ftp.log does) and the ftp-data
 * analyzer of the announced connection (which fills it).
 */
export interface FtpDataLink {
  fuid?: string;
  mime_type?: string;
}

/**
 * A data connection announced on the control channel: `orig_h` will connect to `host`:`port`
 * (Zeek's ExpectedDataChannel). The host marks that connection's service "ftp-data".
 */
export interface FtpExpect {
  type: 'ftp.expect';
  orig_h: string;
  host: string;
  port: number;
  passive: boolean;
  tsSec: number;
  /** Handed to the data connection's analyzer. */
  link: FtpDataLink;
  [k: string]: unknown;
}

/** The server's answer to a login (PASS, or USER accepted without one). */
export interface FtpLogin {
  type: 'ftp.login';
  user: string;
  success: boolean;
  reply_code: number;
  password_sent: boolean;
  [k: string]: unknown;
}

/** AUTH TLS/SSL was accepted (RFC 4217): the rest of the control connection is TLS. */
export interface FtpStartTls {
  type: 'ftp.starttls';
  [k: string]: unknown;
}
