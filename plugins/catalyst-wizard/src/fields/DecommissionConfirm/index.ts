export {
  DecommissionConfirm,
  decommissionConfirmValidation,
  confirmationProblem,
} from './DecommissionConfirm';
