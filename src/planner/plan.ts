// The planner's public face: pure functions of (desired model, observed state, options) → Plan. No I/O, no clock.
export { plan, type PlanOptions } from './plan-up.js';
export { planDown, type DownOptions } from './plan-down.js';
export { planImages, planLifecycle, planRun, type LifecycleOp } from './plan-lifecycle.js';
export { planCreate, planRemove, type RemoveOptions } from './plan-remove.js';
export { observedFingerprint, summarize } from './fingerprint.js';
export { checkServiceNames, selectServices } from './select.js';
export { isFinishedOneShot, isAwaitedToComplete, policyRestarts } from './service-state.js';
