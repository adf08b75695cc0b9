// Typed events of the TFTP analyzer.

/**
 * One transfer as the request announced it and its transfer flow carried it (Zeek's
 * spicy-tftp TFTP::Info). Shared by the request flow's analyzer and, through the host's
 * expected connection, the transfer flow's: whichever sees it finish reports it once.
 */
export interface TftpTransfer {
  /** The request: its time and its connection (the one to port 69). */
  tsSec: number;
  tsNsec: number;
  packet: number;
  uid: string;
  orig_h: string;
  orig_p: number;
  resp_h: string;
  resp_p: number;
  wrq: boolean;
  fname: string;
  mode: string;
  options: Record<string, string>;
  /** The transfer flow's uid, once it appeared. */
  uid_data?: string;
  /** File bytes carried in new DATA blocks (duplicates not counted; the bytes are never kept). */
  size: number;
  /** Highest DATA and ACK block numbers, extended past the 16-bit rollover. */
  block_sent: number;
  block_acked: number;
  /** Block size in force: 512 (RFC 1350) or the OACK's blksize (RFC 2348). */
  blksize: number;
  /** The short block that ends the file, once seen (RFC 1350 §6). */
  final_block: number;
  error_code?: number;
  error_msg?: string;
  done: boolean;
}

/**
 * A read or write request: the file a client fetched or pushed. A fact for the inventory (a
 * phone pulling SEP<mac>.cnf.xml, a PXE client its boot loader), file contents never included.
 */
export interface TftpRequestEvent {
  type: 'tftp.request';
  client: string;
  server: string;
  wrq: boolean;
  fname: string;
  mode: string;
  options: Record<string, string>;
  [k: string]: unknown;
}

/**
 * The transfer will come from the server on a new port to the client's port (RFC 1350 §4):
 * the host expects that flow (as FTP's data channels) and runs the TFTP analyzer on it.
 */
export interface TftpExpect {
  type: 'tftp.expect';
  /** The server (the transfer flow's originator), the client and its port. */
  orig_h: string;
  host: string;
  port: number;
  transfer: TftpTransfer;
  [k: string]: unknown;
}

/** A transfer ended (last block acknowledged, an ERROR, or its flow ended): one tftp.log line. */
export interface TftpTransferEvent {
  type: 'tftp.transfer';
  transfer: TftpTransfer;
  [k: string]: unknown;
}
