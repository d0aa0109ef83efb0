/** Period keys are shared with the directives' period openings; the rule lives in the kernel. */
export { isPeriodKey } from '@app/kernel';
