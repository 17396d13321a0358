// The Plan: a plain, printable, serializable value. The executor runs it without making decisions.
import type { DependencyCondition, DriverKind, Project } from './model.js';

/** What an action does. */
export type Op = 'create' | 'recreate' | 'update' | 'start' | 'stop' | 'remove';
export const OPS: readonly Op[] = ['create', 'recreate', 'update', 'start', 'stop', 'remove'];

/** What an action acts on. */
export type ActionKind = 'image' | 'network' | 'volume' | 'service';

/** One attribute that differs between the live object and the project, for display; sensitive values are masked. */
export interface Change {
  /** e.g. "environment.MODE", "image", "ports" */
  path: string;
  before?: unknown;
  after?: unknown;
  sensitive: boolean;
}

/** A condition on another service that an action waits for before it runs. */
export interface WaitFor {
  service: string;
  condition: DependencyCondition;
  required: boolean;
}

/** What an image action pulls or builds. */
export interface ImageStep {
  ref: string;
  /** the service whose `build` makes this image, when it is built */
  buildService: string | null;
  /** pull (or build) even if present */
  refresh: boolean;
}

/**
 * One step of a plan: create, recreate, update, start, stop or remove one object, with the reason in words and the
 * actions it waits for.
 */
export interface Action {
  id: string;
  kind: ActionKind;
  /** service, network or volume name as in the Boltfile; image reference for images */
  name: string;
  op: Op;
  /** why, in words a user recognises: "not found", "env MODE changed", "orphan" */
  reason: string;
  dependsOn: string[];
  driver: DriverKind;
  /** service actions: 1-based replica index */
  replica?: number;
  /** service actions: the existing container (recreate/start/stop/remove) */
  containerId?: string | null;
  containerName?: string;
  /**
   * service start: the container is the new half of an interrupted replacement, still under this temporary name;
   * it takes `containerName` before it starts
   */
  renameFrom?: string;
  /** service/network/volume create and recreate: the hash the new object will carry */
  configHash?: string;
  /**
   * service actions of a service with sensitive values: the salt its digests were made with (config-hash.ts); the
   * driver records the canonical config with it, so config and hash agree. Absent: the legacy unsalted form.
   */
  configSalt?: string;
  /** service actions: conditions on other services to meet before this container starts */
  waitFor?: WaitFor[];
  /** service create/recreate: leave the new container created, not started (`surge create`) */
  noStart?: boolean;
  /** service remove: also remove the container's anonymous volumes (only `down --volumes`, as compose) */
  removeVolumes?: boolean;
  /** service stop/remove: seconds to wait before killing (down -t) */
  timeoutSeconds?: number | null;
  /** image actions: what to pull or build */
  image?: ImageStep;
  /** network/volume remove: the engine object to remove (a network's id: the engine allows two networks with one name) */
  objectId?: string;
  /** network actions: what the network is flagged with (QUIC is a label; encryption is enforced on overlay only) */
  network?: { driver: string; quic: boolean; encryption: boolean };
  /** for display: what differs */
  changes?: Change[];
  /** Swarm service actions: which live service, at which version, and what to send */
  swarm?: SwarmServiceStep;
}

export interface SwarmServiceStep {
  /** engine-side name of the service */
  serviceName: string;
  /** the live service (update, recreate, remove); null for a create */
  serviceId: string | null;
  /** its Version.Index when planned: the manager refuses the update if it moved since ("update out of sequence") */
  version: number | null;
  /** update: change only the replica count and keep the live spec (scale, or a change kept by --no-recreate) */
  replicasOnly: boolean;
  /** update: replace every task even though the spec is unchanged (a rebuilt image, --force-recreate, restart) */
  force: boolean;
  /** remove: wait until its tasks are gone (what it depends on is removed after it, and must outlive it) */
  awaitGone?: boolean;
}

/** How many actions of each kind a plan holds, and how many objects stay unchanged. */
export interface PlanSummary {
  create: number;
  recreate: number;
  update: number;
  start: number;
  stop: number;
  remove: number;
  unchanged: number;
}

/**
 * What an operation will do: ordered actions with reasons, a summary, notices, and the fingerprint of the live state
 * it was made from. Plain, printable and serializable: save it and apply it later.
 */
export interface Plan {
  project: string;
  actions: Action[];
  summary: PlanSummary;
  /** things the user must know that are not actions: orphans kept, settings not enforced, encryption not enforced */
  notices: string[];
  /** fingerprint of the observed state the plan was made from; `apply` refuses when it changed */
  observedFingerprint: string;
}

/** What `plan -o FILE` writes: the plan plus the model it was made for, so `apply` needs no Boltfile. */
export interface SavedPlan {
  format: 'surge-plan/1';
  createdAt: string;
  surgeVersion: string;
  model: Project;
  plan: Plan;
}
