export { DomainPicker } from './DomainPicker';
export { domainPickerValidation } from './validation';
