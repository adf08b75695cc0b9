// Typed events of the C37.118 synchrophasor analyzer.

/** One synchrophasor connection or UDP flow, reported when it ends (synchrophasor.log). */
export interface SynchrophasorSession {
  type: 'synchrophasor.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** C37.118 versions of the frames (1: 2005, 2: 2011). */
  versions: number[];
  /** Stream id codes (IDCODE) of the frames. */
  idcodes: number[];
  /** Frame types seen, in the order first seen: data, header, cfg1, cfg2, cfg3, command. */
  frame_types: string[];
  /** Command frames' CMD words, first seen first. */
  commands: number[];
  /** Configuration: PMU blocks, their station names and id codes, channels, nominal frequency, data rate. */
  num_pmu?: number;
  stations: string[];
  pmu_idcodes: number[];
  phasors?: number;
  analogs?: number;
  digitals?: number;
  nominal_freq?: number;
  data_rate?: number;
  time_base?: number;
  /** The first header frame's text (a PMU's free-form description), bounded. */
  header?: string;
  data_frames: number;
  frames: number;
  bad_checksums: number;
  /** Which side sent the configuration and data (the PMU or PDC): 'orig' or 'resp'. */
  source?: 'orig' | 'resp';
  [k: string]: unknown;
}
