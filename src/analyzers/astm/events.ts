// Typed events of the ASTM analyzer. Patient records are named by the fields they fill, never
// their contents; result values are not kept at all; an access password only as a digest.

/** One LIS02-A2 message (Header to Terminator) from one side. */
export interface AstmMessageEvent {
  type: 'astm.message';
  is_orig: boolean;
  /** Address of the side that sent the message. */
  sender: string;
  /** 'lis01': ENQ/STX frames with checksums (LIS01-A2); 'raw': records without framing. */
  framing: 'lis01' | 'raw';
  control_id: string;
  /** Header field 6.5, as sent (often manufacturer^model^software version^serial). */
  sender_id: string;
  receiver_id: string;
  processing_id: string;
  version: string;
  message_time: string;
  /** Record type letters in order of first appearance ("H,P,O,R,L"). */
  record_types: string[];
  patients: number;
  orders: number;
  results: number;
  queries: number;
  comments: number;
  /** Test codes ordered or reported (the first 16 distinct). */
  tests: string[];
  /** Patient fields filled in P records (patient_name, birthdate …): patient data in clear. */
  phi_fields: string[];
  /** The header carried an access password (LIS02-A2 6.4). */
  password_sent: boolean;
  /** The message ended with its Terminator record (else the transfer or capture stopped). */
  terminated: boolean;
  /** Frames whose checksum did not match (the sender repeats them after the receiver's NAK). */
  checksum_errors: number;
  /** Only the first records of a long message were examined. */
  truncated: boolean;
  /** Packet of the header record. */
  packet: number;
  [k: string]: unknown;
}
