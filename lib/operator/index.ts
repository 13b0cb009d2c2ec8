export { FALCO_OPERATOR, operatorDelivery, operatorSidekickUrl } from './resources';
export { OWNER_LABEL } from '../falco/sensor/rules-files';
export type { OperatorDelivery, OperatorObject } from './resources';
export { renderOperatorFiles } from './files';
