// The MQTT analyzer's registration: TCP 1883, or any port by its CONNECT.
import type { AnalyzerSpec } from '../types.js';
import { MqttAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const MQTT: AnalyzerSpec = {
  name: 'mqtt',
  tcp: true,
  udp: false,
  ports: [1883],
  probe,
  // CONNECT, PUBLISH (caught mid-session), PINGREQ, PINGRESP
  firstBytes: [0x10, 0xc0, 0xd0, ...Array.from({ length: 16 }, (_, i) => 0x30 + i)],
  // Clients hold their broker connection for hours: a capture often starts inside it, where
  // only keep-alives and publishes pass, each a "maybe" alone.
  pairedMaybe: true,
  create: () => new MqttAnalyzer(),
};
