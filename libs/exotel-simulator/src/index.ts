// The public surface of @app/exotel-simulator.
export { ExotelSimulator, type ExotelSimulatorOptions } from './exotel-simulator';
