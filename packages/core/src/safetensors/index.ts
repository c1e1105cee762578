export { SAFETENSORS_DTYPES, type SafetensorsDtype } from './dtypes.js';
export { MAX_HEADER_BYTES, readSafetensors, type SafetensorsFile, type SafetensorsTensor } from './read.js';
export { weightsFromSafetensors, weightsToSafetensors } from './weights-file.js';
export { writeSafetensors } from './write.js';
