// synchrophasor.log: one line per C37.118 connection or UDP flow (wardline's; CISA's
// icsnpp-synchrophasor splits the same across several logs): versions, stream id codes, frame
// types, commands, the configuration (PMU count, station names, their id codes, channel counts,
// nominal frequency, data rate, time base), the header text, frame counts and bad checksums.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = [
  'versions',
  'idcodes',
  'frame_types',
  'commands',
  'num_pmu',
  'stations',
  'pmu_idcodes',
  'phasors',
  'analogs',
  'digitals',
  'nominal_freq',
  'data_rate',
  'time_base',
  'header',
  'data_frames',
  'frames',
  'bad_checksums',
  'source',
] as const;

export const SYNCHROPHASOR_LOGS: Record<string, LogMapper> = { 'synchrophasor.session': summaryMapper('synchrophasor', FIELDS) };
