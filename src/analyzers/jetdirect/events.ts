// Typed events of the raw-printing analyzer. No document content: documents are counted, their
// names and titles never kept (a discharge letter's title, a wristband's fields name the patient).

/** One raw-printing connection, reported when it ends (jetdirect.log). */
export interface JetdirectSession {
  type: 'jetdirect.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Page description languages seen (pcl, pclxl, postscript, pdf, zpl, escp …), PJL's ENTER LANGUAGE or the documents' own first bytes. */
  languages: string[];
  /** Documents (runs of page description language between PJL sections) and their bytes. */
  documents: number;
  document_bytes: number;
  /** PJL JOB commands. */
  jobs: number;
  /** The job's owner: PJL SET USERNAME, PostScript %%For. */
  user?: string;
  /** The job had a name or title (PJL JOB NAME, SET JOBNAME, PostScript %%Title): never logged. */
  named?: boolean;
  /** PostScript %%Creator: the application or driver that made the document. */
  creator?: string;
  /** PJL command words, in the order first seen. */
  pjl_commands: string[];
  /** What the client asked the printer: INFO categories, INQUIRE/DINQUIRE variables, USTATUS. */
  info_queries: string[];
  /** Variables written to the printer's defaults (PJL DEFAULT: kept across power cycles). */
  defaults: string[];
  /** A PJL password went by in clear (JOB PASSWORD, DEFAULT PASSWORD), or ZPL ^KP. */
  has_password?: boolean;
  /** Text put on the printer's display (PJL RDYMSG, OPMSG, STMSG). */
  ready_message?: string;
  /** PJL file system commands (FSDIRLIST, FSQUERY, FSUPLOAD, FSDOWNLOAD, FSAPPEND, FSDELETE, FSMKDIR, FSINIT) and the paths they named. */
  fs_commands: string[];
  fs_paths: string[];
  /** A path climbed out of its volume with ".." (directory traversal on the printer). */
  fs_traversal?: boolean;
  fs_download_bytes: number;
  fs_upload_bytes: number;
  fs_entries: number;
  /** ZPL label formats (^XA) and field data commands (^FD, ^FV) — counted, never read. */
  zpl_labels: number;
  zpl_fields: number;
  /** ZPL host queries and configuration commands (~HI, ~HS, ^HH, ^JUS, ^KP, ^ND …). */
  zpl_commands: string[];
  /** The printer's identity: PJL INFO ID's answer, or ZPL ~HI's model and firmware. */
  model?: string;
  model_source?: 'pjl' | 'zpl';
  firmware?: string;
  /** The printer's status: PJL INFO STATUS / USTATUS CODE, DISPLAY, ONLINE. */
  status_code?: number;
  display?: string;
  online?: boolean;
  /** Bytes of the printer's back channel. */
  reply_bytes: number;
  [k: string]: unknown;
}
