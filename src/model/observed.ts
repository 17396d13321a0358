// What drivers report about live objects: a plain, serializable value. The planner reads only this.
import type { DriverKind } from './model.js';

/** A replica's state, as the engine reports it (host processes map onto the same words). */
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
/** A replica's health, when it has a healthcheck. */
export type HealthState = 'starting' | 'healthy' | 'unhealthy';

/**
 * A live replica (container or host process) as a driver observed it: its labels (service, replica, config hash),
 * state, health and ports.
 */
export interface ObservedContainer {
  driver: DriverKind;
  id: string;
  /** engine-side name, e.g. "shop-web-1" */
  name: string;
  service: string;
  replica: number;
  configHash: string;
  /** canonical replacement-forcing config recorded at creation, used to say *what* changed; null when absent */
  config: Record<string, unknown> | null;
  state: ContainerState;
  health: HealthState | null;
  exitCode: number | null;
  /** image id the container runs (docker) */
  imageId: string | null;
  oneoff: boolean;
  /** host process id (process driver) */
  pid: number | null;
  /** published ports, display form "0.0.0.0:8080->80/tcp" */
  ports: string[];
  image: string | null;
  /** host processes: stopped by `surge stop`/`down`, not by a crash (restart policies leave these alone) */
  stoppedBySurge?: boolean;
  /** engine names of the named volumes it mounts (docker) */
  volumes?: string[];
  /** problems the driver found with its own records (stale pid, corrupt state file) */
  problems: string[];
  /**
   * The new half of a replacement that did not finish (the run was killed): a container still under its temporary
   * name (`<name>_surge-new-<hex>`, see replacementName) with its service's and replica's labels. The planner
   * finishes or undoes the replacement; nothing else counts it as the replica.
   */
  pendingReplacement?: boolean;
}

/** A live network of the project. */
export interface ObservedNetwork {
  name: string;
  engineName: string;
  id: string;
  configHash: string;
  /** when the engine made it (ISO time), when known: of two networks with one name, the older one is kept */
  created?: string;
  /**
   * Names of the containers attached, when the driver looked (docker: for networks that share their name with
   * another, which the engine allows): an empty duplicate can go, one in use cannot.
   */
  attached?: string[];
}

/** A live named volume of the project. */
export interface ObservedVolume {
  name: string;
  engineName: string;
  configHash: string;
}

/**
 * What is live: every driver's replicas, networks, volumes, the images the project uses, and whether external
 * resources exist. A plain value the planner reads.
 */
export interface ObservedState {
  containers: ObservedContainer[];
  networks: ObservedNetwork[];
  volumes: ObservedVolume[];
  /** image reference → local image id, or null when the image is not present; only refs the model uses */
  images: Record<string, string | null>;
  /** external networks/volumes the project references, by engine name → exists */
  externals: Record<string, boolean>;
  /**
   * A fresh random salt for sensitive-value digests (config-hash.ts), used only when no live container carries one
   * yet: observing supplies it so the pure planner needs no randomness of its own.
   */
  configSalt?: string;
}

export function emptyObservedState(): ObservedState {
  return { containers: [], networks: [], volumes: [], images: {}, externals: {} };
}
