// The offline OpenAQ v3 simulator: start it, its station catalogue, and the pure value function behind its data.
export { startSimulator, type Simulator, type SimulatorOptions, type SimulatorStats } from './server.js';
export type { Faults } from './faults.js';
export { STATIONS, SENSORS, SIM_PARAMETER_IDS, simSensorId, stationById, type Station, type SimSensor } from './stations.js';
export { simulatedHourlyValue, hasHourlyValue, SIM_TIMEZONE } from './values.js';
