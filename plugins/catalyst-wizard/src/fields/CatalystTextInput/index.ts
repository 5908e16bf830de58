export { CatalystTextInput } from './CatalystTextInput';
export { catalystTextInputValidation } from './validation';
