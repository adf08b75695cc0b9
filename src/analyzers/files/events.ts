// Typed events of file analysis: one per file seen in a connection's payload (an HTTP body, an
// FTP data transfer, an SMB file read or written), logged as Zeek's files.log.

export interface FileEvent {
  type: 'files.file';
  /** When the file's first byte was seen. */
  tsSec: number;
  tsNsec: number;
  packet: number;
  fuid: string;
  /** Zeek's source names: HTTP, FTP_DATA, SMB, TFTP. */
  source: string;
  /** HTTP: the transaction's trans_depth; 0 elsewhere. */
  depth: number;
  /** The hash analyzers that completed (MD5, SHA1, SHA256): none when bytes were missing. */
  analyzers: string[];
  mime_type?: string;
  filename?: string;
  duration: number;
  is_orig: boolean;
  seen_bytes: number;
  total_bytes?: number;
  missing_bytes: number;
  overflow_bytes: number;
  timedout: boolean;
  md5?: string;
  sha1?: string;
  sha256?: string;
  /** SMB: the share (tree path) the file is on, for the detectors; not a files.log field. */
  share?: string;
  /** HTTP: the request target, for the rules; not a files.log field. */
  url?: string;
  /** The sender's and receiver's addresses (Zeek's tx_hosts / rx_hosts). */
  tx_host: string;
  rx_host: string;
  [k: string]: unknown;
}

/**
 * dicom.polyglot: a DICOM Part 10 file whose 128-byte preamble holds an executable's header
 * (file.ts executablePreamble; CVE-2019-11687): `format` names it (Windows PE, DOS MZ, ELF,
 * Mach-O, script (#!)). The file's own event (files.file, same fuid) precedes it.
 */
export interface DicomPolyglotEvent {
  type: 'dicom.polyglot';
  tsSec: number;
  tsNsec: number;
  /** Who sent the file and who received it. */
  sender: string;
  receiver: string;
  is_orig: boolean;
  format: string;
  /** HTTP, FTP_DATA, SMB, TFTP … */
  source: string;
  fuid: string;
  filename?: string;
  /** HTTP: the request's target. */
  url?: string;
  sha256?: string;
  packet: number;
  [k: string]: unknown;
}
