// Typed events of the IEC 60870-5-104 analyzer.

/**
 * One APDU (`count` 1), or `count` repeats of the APDU emitted before it in the same direction
 * (consecutive, identical as logged, never commands), dated by the first repeat (analyzer.ts).
 * Fields mirror parse.ts's Apdu/Asdu; the ASDU fields are set for I-format.
 */
export interface Iec104Apdu {
  type: 'iec104.apdu';
  is_orig: boolean;
  apci_type: 'I' | 'S' | 'U';
  u_func?: string;
  /** Sequence numbers N(S) / N(R) of the first APDU of a run. */
  tx?: number;
  rx?: number;
  type_id?: number;
  cot?: number;
  negative?: boolean;
  test?: boolean;
  sq?: boolean;
  num_objects?: number;
  originator?: number;
  asdu_addr?: number;
  /** First information object address (logged for commands: the point operated). */
  ioa?: number;
  /** A command or parameter issued in the control direction (a C_ or P_ type with cause act, deact or req). */
  command?: boolean;
  /** Only a controlled station (outstation) sends this APDU. */
  outstation?: boolean;
  count: number;
  ts_sec: number;
  ts_nsec: number;
  packet: number;
  [k: string]: unknown;
}
