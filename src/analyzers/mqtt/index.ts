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
  create: () => new MqttAnalyzer(),
};
