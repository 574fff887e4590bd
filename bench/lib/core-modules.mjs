// The built modules the in-process core measurements use (bench/core.mjs, bench/tools/*-prof.mjs),
// with the world's secrets in the environment (its config reads them from there).
import { ROOT } from './measure.mjs';
import { SECRETS } from './scenario.mjs';

Object.assign(process.env, SECRETS);

const dist = (p) => import(new URL(`dist/${p}`, `file://${ROOT}`).href);
export const { loadConfig, resolveSecrets } = await dist('config/index.js');
export const { prepareDesired } = await dist('plan-pipeline/desired.js');
export const { schemasOf } = await dist('providers/connect.js');
export const { plan } = await dist('planner/index.js');
export const { LocalStateStore } = await dist('state/local-store.js');
