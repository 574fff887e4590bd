// What every handler needs: the state, the clock, the settings, and a way to persist.
import type { Faults } from '../http.js';
import type { SimState } from './store.js';
import type { MicroClock } from '../time.js';

export interface ClusterSeed {
  extId: string;
  name: string;
  /** 'PRISM_CENTRAL' for the PC itself; 'AOS' for clusters that can hold images. */
  function?: 'AOS' | 'PRISM_CENTRAL';
}

export interface SimContext {
  state: SimState;
  clock: MicroClock;
  taskDurationMs: number;
  clusters: readonly ClusterSeed[];
  /** Base for hrefs in metadata links, e.g. http://127.0.0.1:PORT */
  baseUrl: string;
  username: string;
  persist(): void;
  /** The run's faults (set per run, changeable); only the task ones are read here. */
  faults?: Faults | undefined;
  /** Seeded stream for task faults, so a chaos run can be replayed. */
  random?: () => number;
}

export const IMAGES_PATH = '/api/vmm/v4.0/content/images';
export const TASKS_PATH = '/api/prism/v4.0/config/tasks';
export const CLUSTERS_PATH = '/api/clustermgmt/v4.0/config/clusters';
