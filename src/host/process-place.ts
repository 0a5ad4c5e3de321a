// Where a process runs, from its cgroup path (/proc/PID/cgroup): a container of Docker, Podman,
// containerd (plain or through Kubernetes' CRI) or CRI-O, or else a systemd unit. Names come from the
// runtime's state on disk where it is readable (root, or a rootless runtime of the same user).
import { readFileSync } from 'node:fs';
import type { ContainerRef, ContainerRuntime } from '../protocol/process-identity';

export interface Place {
  container?: ContainerRef;
  unit?: string;
}

const ID = '([0-9a-f]{64})';
/** Path components that name a container, by runtime (systemd and cgroupfs drivers). */
const CONTAINER_PATTERNS: Array<[RegExp, ContainerRuntime]> = [
  [new RegExp(`^docker-${ID}\\.scope$`), 'docker'],
  [new RegExp(`^libpod-(?!conmon-)${ID}\\.scope$`), 'podman'],
  [new RegExp(`^libpod-${ID}$`), 'podman'],
  [new RegExp(`^cri-containerd-${ID}\\.scope$`), 'containerd'],
  [new RegExp(`^nerdctl-${ID}\\.scope$`), 'containerd'],
  [new RegExp(`^crio-(?!conmon-)${ID}\\.scope$`), 'cri-o'],
];
/** cgroupfs-driver parents whose child is a bare id. */
const PARENT_RUNTIME: Record<string, ContainerRuntime> = { docker: 'docker', libpod_parent: 'podman', default: 'containerd', 'k8s.io': 'containerd' };

/**
 * The cgroup path that says most about the process: the unified (v2) one, or on a v1 host the
 * name=systemd one (the v2 line is then `0::/`), or failing those any controller's path that names
 * a container.
 */
export function cgroupPathOf(cgroupText: string): string {
  let unified = '';
  let systemd = '';
  let other = '';
  for (const line of cgroupText.split('\n')) {
    const a = line.indexOf(':');
    const b = line.indexOf(':', a + 1);
    if (a < 0 || b < 0) continue;
    const controllers = line.slice(a + 1, b);
    const path = line.slice(b + 1);
    if (line.startsWith('0::')) unified = path;
    else if (controllers === 'name=systemd') systemd = path;
    else if (!other && containerIn(path)) other = path;
  }
  if (unified && unified !== '/') return unified;
  if (systemd && systemd !== '/') return systemd;
  return other || unified || systemd;
}

function containerIn(path: string): ContainerRef | undefined {
  const parts = path.split('/').filter(Boolean);
  // The deepest container wins (a container inside a pod inside a slice).
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i];
    for (const [re, runtime] of CONTAINER_PATTERNS) {
      const m = re.exec(part);
      if (m) return { runtime, id: m[1] };
    }
    if (/^[0-9a-f]{64}$/.test(part) && i > 0) {
      const parent = parts[i - 1];
      const runtime = PARENT_RUNTIME[parent] ?? (/^pod[0-9a-f_-]+$/.test(parent) ? 'containerd' : undefined);
      if (runtime) return { runtime, id: part };
    }
  }
  return undefined;
}

/** The deepest systemd unit in the path that is not a slice (`nginx.service`, `session-3.scope`). */
function unitIn(path: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    if (/\.(service|scope|socket|mount|swap)$/.test(parts[i])) return parts[i];
  }
  return undefined;
}

/** The place a cgroup path names, without names (pure). */
export function placeOfCgroupPath(path: string): Place {
  const container = containerIn(path);
  if (container) return { container };
  const unit = unitIn(path);
  return unit ? { unit } : {};
}

/** Where the runtimes keep their state; tests point these at a folder of their own. */
export interface RuntimeRoots {
  docker: string;
  /** Podman's storage (root); a rootless one lives under the user's home. */
  podman: string[];
  /** containerd's v2 task bundles, by namespace folder. */
  containerd: string;
  crio: string;
}

export const DEFAULT_ROOTS: RuntimeRoots = {
  docker: '/var/lib/docker/containers',
  podman: ['/var/lib/containers/storage/overlay-containers'],
  containerd: '/run/containerd/io.containerd.runtime.v2.task',
  crio: '/run/containers/storage/overlay-containers',
};

function readJson(path: string): unknown {
  try { return JSON.parse(readFileSync(path, 'utf8')) as unknown; } catch { return undefined; }
}

function annotationName(config: unknown): string | undefined {
  const ann = (config as { annotations?: Record<string, string> } | undefined)?.annotations;
  if (!ann) return undefined;
  const pod = ann['io.kubernetes.cri.sandbox-name'] ?? ann['io.kubernetes.pod.name'];
  const container = ann['io.kubernetes.cri.container-name'] ?? ann['io.kubernetes.container.name'];
  if (pod && container) return `${pod}/${container}`;
  return pod ?? container ?? ann['nerdctl/name'];
}

/** The container's name from its runtime's state, or undefined where that is not readable. */
export function containerName(ref: ContainerRef, roots: RuntimeRoots = DEFAULT_ROOTS, home?: string): string | undefined {
  switch (ref.runtime) {
    case 'docker': {
      const cfg = readJson(`${roots.docker}/${ref.id}/config.v2.json`) as { Name?: string } | undefined;
      return cfg?.Name ? cfg.Name.replace(/^\//, '') : undefined;
    }
    case 'podman': {
      const dirs = home ? [...roots.podman, `${home}/.local/share/containers/storage/overlay-containers`] : roots.podman;
      for (const dir of dirs) {
        const list = readJson(`${dir}/containers.json`);
        if (!Array.isArray(list)) continue;
        const hit = (list as Array<{ id?: string; names?: string[] }>).find((c) => c.id === ref.id);
        if (hit?.names?.length) return hit.names[0];
      }
      return undefined;
    }
    case 'containerd': {
      for (const ns of ['k8s.io', 'default', 'moby']) {
        const name = annotationName(readJson(`${roots.containerd}/${ns}/${ref.id}/config.json`));
        if (name) return name;
      }
      return undefined;
    }
    case 'cri-o':
      return annotationName(readJson(`${roots.crio}/${ref.id}/userdata/config.json`));
  }
}

/** The place of a running process, with the container's name where readable; {} when the process is gone. */
export function readPlace(pid: number, options: { procRoot?: string; roots?: RuntimeRoots; home?: string } = {}): Place {
  let text: string;
  try { text = readFileSync(`${options.procRoot ?? '/proc'}/${pid}/cgroup`, 'utf8'); } catch { return {}; }
  const place = placeOfCgroupPath(cgroupPathOf(text));
  if (place.container) {
    const name = containerName(place.container, options.roots, options.home);
    if (name) place.container.name = name;
  }
  return place;
}
