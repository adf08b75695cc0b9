// The Modbus/TCP analyzer's registration (TCP 502, found on other ports by its probe).
import type { AnalyzerSpec } from '../types.js';
import { ModbusAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const MODBUS_PORT = 502;

export const MODBUS: AnalyzerSpec = {
  name: 'modbus',
  tcp: true,
  udp: false,
  ports: [MODBUS_PORT],
  probe,
  create: () => new ModbusAnalyzer(),
};
