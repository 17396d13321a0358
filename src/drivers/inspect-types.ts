// What the compose-style commands beyond the core read from a driver: processes (`top`), resource use (`stats`),
// images (`images`), engine events (`events`) and the projects a target holds (`ls`). Plain values, driver-neutral:
// the CLI renders them, programs read them.

/** `surge top`: the processes of one replica, as `ps` shows them (titles such as UID, PID, PPID, C, STIME, TTY, TIME, CMD). */
export interface ProcessTable {
  titles: string[];
  processes: string[][];
}

/** GPU use of one replica, read from the host's `nvidia-smi`. */
export interface GpuUse {
  /** GPU memory its processes hold, bytes */
  memoryBytes: number;
  /** utilisation of the GPUs its processes run on, percent (their average); null when nvidia-smi does not say */
  utilizationPercent: number | null;
  /** the GPUs, by index */
  devices: string[];
}

/** `surge stats`: one sample of a replica's resource use; null where the figure does not apply to its driver. */
export interface ResourceSample {
  id: string;
  name: string;
  service: string;
  cpuPercent: number | null;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
  netRxBytes: number | null;
  netTxBytes: number | null;
  blockReadBytes: number | null;
  blockWriteBytes: number | null;
  pids: number | null;
  /** only for replicas of GPU services on a host with nvidia-smi; undefined otherwise */
  gpu?: GpuUse | null;
}

/** `surge images`: the image one container runs. */
export interface ImageInfo {
  /** container name */
  container: string;
  service: string;
  /** full image id ("sha256:…") */
  id: string;
  /** "<none>" parts are empty strings */
  repository: string;
  tag: string;
  /** "linux/amd64" */
  platform: string;
  size: number;
  /** ISO time the image was created; null when the engine no longer has the image */
  created: string | null;
}

/** `surge events`: one engine event of a project's container, in compose's terms. */
export interface EngineEvent {
  /** RFC 3339 with nanoseconds, UTC */
  time: string;
  /** always "container" (compose reports container events only) */
  type: 'container';
  service: string;
  /** container id */
  id: string;
  /** what happened: create, start, die, kill, stop, destroy, health_status: healthy, … */
  action: string;
  /** the engine's attributes (name, image, exitCode, the container's own labels), surge's labels left out */
  attributes: Record<string, string>;
}

/** `surge ls`: one project a target holds, from the labels of its containers. */
export interface ProjectSummary {
  name: string;
  /** each container's state, e.g. ["running", "running", "exited"] */
  states: string[];
  /** the Boltfiles it was brought up from (absolute paths); empty when its containers predate the label */
  configFiles: string[];
}
