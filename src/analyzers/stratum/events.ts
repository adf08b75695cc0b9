// Typed events of Stratum (crypto-currency mining).
import type { Dialect } from './parse.js';

/** The miner identified itself (login, authorize, subscribe) or, joined mid-way, mined. */
export interface StratumMining {
  type: 'stratum.mining';
  /** Packet and time of the message that showed it. */
  packet: number;
  tsSec: number;
  tsNsec: number;
  miner: string;
  pool: string;
  pool_p: number;
  dialect: Dialect;
  method: string;
  agent: string;
  user: string;
  pool_host: string;
  [k: string]: unknown;
}

/** One per connection, when it ends: stratum.log. */
export interface StratumSession {
  type: 'stratum.session';
  packet: number;
  tsSec: number;
  tsNsec: number;
  dialect: Dialect;
  agent: string;
  user: string;
  password: boolean;
  pool_host: string;
  algos: string[];
  methods: string[];
  authorized: boolean | null;
  jobs: number;
  shares: number;
  accepted: number;
  rejected: number;
  midstream: boolean;
  [k: string]: unknown;
}
