// The planner's public surface.
export { plan } from './plan.js';
export type { Observation, PlanImage, PlanInput } from './input.js';
export * from './types.js';
