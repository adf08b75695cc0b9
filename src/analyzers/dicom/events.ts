// Typed events of the DICOM analyzer. Patient values never appear: only which group 0010 tags
// carried a value. The user identity passcode appears only as a keyed digest.

/** An association was answered (AC or RJ) or ended unanswered. The requester is the SCU. */
export interface DicomAssociate {
  type: 'dicom.associate';
  /** Requester (association initiator, the SCU) and acceptor (the SCP) addresses. */
  scu: string;
  scp: string;
  scp_p: number;
  calling_ae: string;
  called_ae: string;
  accepted: boolean;
  result: string;
  abstract_syntaxes: string[];
  /** Names of the known SOP classes proposed (CT Image Storage …). */
  sop_classes: string[];
  /** Modalities whose image storage the SCU proposed (CT, MR …): an imaging device's signature. */
  modalities: string[];
  scu_implementation_class_uid?: string;
  scu_implementation_version?: string;
  scp_implementation_class_uid?: string;
  scp_implementation_version?: string;
  packet: number;
  [k: string]: unknown;
}

/** One DIMSE message's command set. */
export interface DicomCommand {
  type: 'dicom.command';
  is_orig: boolean;
  command: string;
  sop_class?: string;
  message_id?: number;
  status?: number;
  status_text?: string;
  packet: number;
  [k: string]: unknown;
}

/**
 * A C-FIND request's identifier, by its shape only: its QueryRetrieveLevel, how many keys it
 * has, and whether any key narrows the match (a value that is neither empty nor only "*"). The
 * values are never kept.
 */
export interface DicomQuery {
  type: 'dicom.query';
  level: string;
  keys: number;
  narrowed: boolean;
  sop_class?: string;
  packet: number;
  [k: string]: unknown;
}

/** A data set carried patient (group 0010) tags with values; the values are not kept. */
export interface DicomPhi {
  type: 'dicom.phi';
  /** Who sent the data set. */
  sender: string;
  is_orig: boolean;
  tags: string[];
  command?: string;
  packet: number;
  [k: string]: unknown;
}

/** User identity negotiation with a user name and passcode crossed the wire. */
export interface DicomCredential {
  type: 'dicom.credential';
  server: string;
  server_p: number;
  user: string;
  /** secretDigest(passcode): for the default-credential check; never logged. */
  secret: string;
  packet: number;
  [k: string]: unknown;
}

/** The whole association, emitted once when it ends: one dicom.log line. */
export interface DicomAssociation {
  type: 'dicom.association';
  tsSec: number;
  tsNsec: number;
  calling_ae?: string;
  called_ae?: string;
  application_context?: string;
  implementation_class_uid?: string;
  implementation_version?: string;
  responder_implementation_class_uid?: string;
  responder_implementation_version?: string;
  user_identity_type?: string;
  abstract_syntaxes: string[];
  transfer_syntaxes: string[];
  accepted_transfer_syntaxes: string[];
  commands: string[];
  failed_commands: number;
  result: string;
  end: string;
  phi: boolean;
  phi_tags: string[];
  [k: string]: unknown;
}
