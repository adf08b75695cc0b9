// Typed events of the DNP3 analyzer.

/**
 * One request/reply pair as Zeek's dnp3.log pairs them (base/protocols/dnp3/main.zeek): a
 * request's function code is kept until the next reply from the responder, which completes the
 * pair; a reply with no request before it, or a request never answered (at the connection's
 * end or, for a command, when another request replaces it), is a pair on its own.
 */
export interface Dnp3Transaction {
  type: 'dnp3.transaction';
  /** Function codes (IEEE 1815 Table 4-1) of the request and the reply. */
  fc_request?: number;
  fc_reply?: number;
  /** The reply's internal indications, IIN1 << 8 | IIN2. */
  iin?: number;
  /** Object types the request names, "g<group>v<variation>", first seen first. */
  objects?: string[];
  /** The request changes the outstation's outputs, configuration, state or files (parse.ts isCommand). */
  command?: boolean;
  /** Which side sent a response function code with IIN: that side is the outstation. */
  outstation?: 'orig' | 'resp';
  /** The outstation's DNP3 link address (source of its response frames). */
  outstation_addr?: number;
  ts_sec: number;
  ts_nsec: number;
  packet: number;
  [k: string]: unknown;
}
