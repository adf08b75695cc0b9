// Typed events of the IntelliVue Data Export analyzer.
import type { Identity } from './parse.js';

/** A monitor said who it is: its Connect Indication or its MDS Create event report. */
export type IntellivueIdentityEvent = Identity & {
  type: 'intellivue.identity';
  /** Address of the device that sent it. */
  sender: string;
  source: 'connect_indication' | 'mds_create';
  packet: number;
};

/** An association was accepted: `server` serves data export on `server_p` to `client`. */
export type IntellivueAssociationEvent = {
  type: 'intellivue.association';
  server: string;
  server_p: number;
  client: string;
  packet: number;
};

/** A poll result carried patient demographics with values (names of the fields only). */
export type IntellivuePhiEvent = {
  type: 'intellivue.phi';
  sender: string;
  patient_fields: string[];
  packet: number;
};

/** One flow's summary, when it ends (intellivue.log). */
export type IntellivueSessionEvent = Identity & {
  type: 'intellivue.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  connect_indications: number;
  association?: string;
  data_messages: number;
  poll_results: number;
  polled_objects: string[];
  patient_fields: string[];
};
