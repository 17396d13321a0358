// Facts about the machine and the tools, for the results file.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** @param {string} cmd @param {string[]} args */
function tryRun(cmd, args, cwd = process.cwd()) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** @param {import('dockerode')} docker @param {string} repo */
export async function machineFacts(docker, repo) {
  const v = await docker.version();
  const info = await docker.info();
  const pkg = JSON.parse(readFileSync(`${repo}/package.json`, 'utf8'));
  const commit = tryRun('git', ['rev-parse', '--short', 'HEAD'], repo);
  const dirty = tryRun('git', ['status', '--porcelain', '--untracked-files=no'], repo);
  const cpus = os.cpus();
  return {
    cpus: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: `${os.type()} ${os.release()}`,
    os: osName(),
    docker: `${v.Version} (API ${v.ApiVersion}, ${info.Driver}, ${info.CgroupVersion ? `cgroup v${info.CgroupVersion}` : 'cgroup ?'})`,
    node: process.version,
    compose: tryRun('docker-compose', ['version', '--short']) ?? 'not found',
    surge: `${pkg.version}${commit ? ` @ ${commit}${dirty ? ' + uncommitted changes' : ''}` : ''}`,
    otherContainers: info.ContainersRunning,
    load: os.loadavg().map((x) => x.toFixed(2)).join(' / '),
  };
}

function osName() {
  try {
    return /PRETTY_NAME="?([^"\n]*)/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.platform();
  } catch {
    return os.platform();
  }
}
