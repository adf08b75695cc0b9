// Typed events of the HL7 analyzer. Patient segments are named, never their contents.

/** One HL7 v2 message (MSH header fields, acknowledgement, device ids, patient segments). */
export interface Hl7MessageEvent {
  type: 'hl7.message';
  is_orig: boolean;
  /** Address of the side that sent the message. */
  sender: string;
  sending_application: string;
  sending_facility: string;
  receiving_application: string;
  receiving_facility: string;
  message_type: string;
  control_id: string;
  processing_id: string;
  version: string;
  ack_code?: string;
  ack_control_id?: string;
  device_ids: string[];
  /** PID, NK1, PV1 … present in the message: patient data crossed the wire. */
  phi_segments: string[];
  segments: number;
  /** The message came in a batch (FHS/BHS … BTS/FTS in one block): the batch's control id ('' if it has none). */
  batch_id?: string;
  /** Only the first 64 KiB of the message was examined. */
  truncated: boolean;
  /** Carried in an HTTP body (HL7 over HTTP) or an AMQP message (through a broker) rather than MLLP. */
  transport?: 'http' | 'amqp';
  /** Through a message broker: the broker delivered the message (it did not write it). */
  relayed?: boolean;
  packet: number;
  [k: string]: unknown;
}
