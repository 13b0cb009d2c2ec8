export { FALCO_OPERATOR, OWNER_LABEL, operatorDelivery, operatorSidekickUrl } from './resources';
export type { OperatorDelivery, OperatorObject } from './resources';
export { renderOperatorFiles } from './files';
