export { TopologyPicker } from './TopologyPicker';
export { topologyPickerValidation } from './validation';
