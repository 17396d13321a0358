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
  /** the driver that reported it (absent: docker) */
  driver?: DriverKind;
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
  /** the driver that reported it (absent: docker); a Swarm's are the manager's own copies */
  driver?: DriverKind;
}

/** replicated and global services run for ever; jobs run to completion (a one-shot service on a Swarm) */
export type SwarmServiceMode = 'replicated' | 'global' | 'replicated-job' | 'global-job';

/** One task of a Swarm service, as the manager reports it. */
export interface ObservedTask {
  id: string;
  /** replicated services: the 1-based slot; global services and jobs: null (one task per node) */
  slot: number | null;
  nodeId: string | null;
  /** the node's hostname, null while unassigned */
  node: string | null;
  /** the node's state (ready, down, unknown, disconnected), null while unassigned */
  nodeState: string | null;
  /** Status.State: new, pending, assigned, accepted, preparing, starting, running, complete, shutdown, failed, rejected, remove, orphaned */
  state: string;
  /** what the manager wants: running, ready, shutdown, complete, remove */
  desiredState: string;
  /** the task's own words: "started", "pending task scheduling", "finished" */
  message: string;
  /** the task's error, verbatim: "task: non-zero exit (1)", "no suitable node (insufficient resources on 3 nodes)" */
  error: string | null;
  exitCode: number | null;
  containerId: string | null;
  /** when its state was last reported, on the manager's clock (ISO 8601) */
  timestamp: string;
  createdAt: string;
  /** ports it publishes in host mode, "198.18.0.12:8080->80/tcp" */
  ports: string[];
}

/** A Swarm service of the project. */
export interface ObservedSwarmService {
  id: string;
  /** engine-side name, e.g. "shop_web" */
  name: string;
  /** the service's name in the Boltfile */
  service: string;
  /** Version.Index: updates are made against it, and a saved plan goes stale when it moves */
  version: number;
  configHash: string;
  config: Record<string, unknown> | null;
  /** the image the spec names, with its digest when it was pinned */
  image: string;
  /** the manager's local image id of the image when surge deployed it (label), to see a rebuilt or re-pulled image */
  imageId: string | null;
  mode: SwarmServiceMode;
  /** replicated modes: the replica count (job: total completions); global: null */
  replicas: number | null;
  /** ServiceStatus */
  runningTasks: number;
  desiredTasks: number;
  /** the last rolling update: state (updating, paused, completed, rollback_started, rollback_paused, rollback_completed) and message */
  update: { state: string; message: string; startedAt: string | null; completedAt: string | null } | null;
  /** when the spec last changed (manager's clock) */
  updatedAt: string;
  /** ForceUpdate: bumped to replace every task without changing anything else */
  forceUpdate: number;
  /** published ports, "8080->80/tcp (ingress)" */
  ports: string[];
  /** the Swarm secrets and configs its tasks mount, by their names on the Swarm */
  files: { secrets: string[]; configs: string[] };
  tasks: ObservedTask[];
}

export interface ObservedSwarmNode {
  id: string;
  hostname: string;
  role: 'manager' | 'worker';
  /** ready, down, unknown, disconnected */
  state: string;
  /** active, pause, drain */
  availability: string;
  address: string;
  leader: boolean;
  /** resources it advertises (the engine's node-generic-resources), e.g. NVIDIA-GPU=2 */
  genericResources: { kind: string; value: number | string }[];
}

/** What the Swarm itself is: its nodes and what surge could learn about them. */
export interface ObservedSwarm {
  /** where surge reached the manager, e.g. "unix:///run/docker.sock" */
  endpoint: string;
  /** the node surge talks to */
  localNodeId: string;
  nodes: ObservedSwarmNode[];
  /** image reference → its registry digest on the manager, null when it has none (built or loaded locally) */
  imageDigests: Record<string, string | null>;
  /**
   * What the manager's kernel can do, when surge can tell (a manager on this machine): ESP (encrypted overlays) and
   * IPVS (service VIPs, the ingress mesh). null: cannot tell.
   */
  kernel: { esp: boolean | null; ipvs: boolean | null; release: string | null };
  /**
   * The content digest of each secret and config the project declares ("secret:NAME", "config:NAME"), read where
   * surge runs (files, environment, inline content); null where it cannot be read. A Swarm's secrets cannot change:
   * a new content is a new object, which the services are updated to mount.
   */
  fileDigests?: Record<string, string | null>;
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
  /** the project's Swarm services (absent or empty when it has none) */
  swarmServices?: ObservedSwarmService[];
  /** the Swarm the project targets, when it targets one */
  swarm?: ObservedSwarm | null;
  /**
   * A fresh random salt for sensitive-value digests (config-hash.ts), used only when no live container carries one
   * yet: observing supplies it so the pure planner needs no randomness of its own.
   */
  configSalt?: string;
}

export function emptyObservedState(): ObservedState {
  return { containers: [], networks: [], volumes: [], images: {}, externals: {} };
}
