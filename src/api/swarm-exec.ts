// `exec` on a Swarm: in the container of a running task, which surge can reach only on the node it talks to (the
// manager DOCKER_HOST names). A task on another node is named with where it runs and how to get there.
import { UserError } from '../model/errors.js';
import type { ObservedContainer, ObservedState } from '../model/observed.js';
import { isRunningTask } from '../model/swarm-tasks.js';

/** The container of task `index` (its slot; for a global service, the index-th running task) of `service`. */
export function swarmTaskContainer(observed: ObservedState, service: string, index: number): ObservedContainer {
  const svc = (observed.swarmServices ?? []).find((x) => x.service === service);
  if (!svc) throw new UserError(`service ${service} is not on the Swarm; run \`surge up\` first`, 'precondition');
  const running = svc.tasks.filter(isRunningTask);
  const task = svc.mode === 'replicated' ? running.find((t) => t.slot === index) : running[index - 1];
  if (!task) {
    throw new UserError(`service ${service} has no running task ${index} (${running.length} running: ${running.map((t) => t.slot ?? t.node).join(', ') || 'none'})`, 'precondition');
  }
  const local = observed.swarm?.localNodeId;
  const here = observed.swarm?.nodes.find((n) => n.id === local)?.hostname ?? 'the manager';
  if (task.nodeId !== local || !task.containerId) {
    throw new UserError(
      `task ${service}.${task.slot ?? task.node} runs on node ${task.node ?? '?'}, and surge reaches only ${here} (DOCKER_HOST): exec works for tasks on that node. ` +
        `On ${task.node ?? 'that node'}: \`docker exec -it ${task.containerId ?? '<container>'} …\`${running.some((t) => t.nodeId === local) ? `; tasks here: ${running.filter((t) => t.nodeId === local).map((t) => t.slot ?? t.node).join(', ')} (--index)` : ''}`,
      'precondition',
    );
  }
  return {
    driver: 'swarm',
    id: task.containerId,
    name: `${svc.name}.${task.slot ?? task.node}`,
    service,
    replica: task.slot ?? index,
    configHash: svc.configHash,
    config: null,
    state: 'running',
    health: null,
    exitCode: null,
    imageId: null,
    oneoff: false,
    pid: null,
    ports: task.ports,
    image: svc.image,
    problems: [],
  };
}
