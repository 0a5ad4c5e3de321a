// What a process is and where it runs, as the helper tells the client (the `processes` request) and
// the CLI prints it. Read from /proc by src/host/process-identity.ts.

/** Container runtimes told apart by their cgroup paths. */
export const CONTAINER_RUNTIMES = ['docker', 'podman', 'containerd', 'cri-o'] as const;
export type ContainerRuntime = (typeof CONTAINER_RUNTIMES)[number];

export interface ContainerRef {
  runtime: ContainerRuntime;
  /** The full container id (64 hex digits for Docker, Podman, CRI). */
  id: string;
  /** Its name from the runtime's state (`docker ps` NAMES, the Kubernetes pod/container), when readable. */
  name?: string;
}

export interface ProcessIdentity {
  pid: number;
  ppid: number;
  /** What the process is: executable and identifying arguments (`node server.js`, `java -jar orders.jar`). */
  label: string;
  /** /proc/PID/comm (what ss prints; a thread name such as `MainThread` on current Node). */
  comm: string;
  /** argv from /proc/PID/cmdline; empty for kernel threads and zombies. */
  cmdline: string[];
  /** /proc/PID/exe, when readable. */
  exe?: string;
  /** /proc/PID/cwd, when readable. */
  cwd?: string;
  /** Real uid, and its name from /etc/passwd when it has one. */
  uid: number;
  user?: string;
  /** When it started, ms since the epoch. */
  startedAt: number;
  container?: ContainerRef;
  /** The systemd unit it runs in (`nginx.service`), when not in a container. */
  unit?: string;
  /** Whether the helper can read its descriptors: false for another user's process without root. */
  socketsVisible: boolean;
  /** Only when all processes are listed: local ports of its inet sockets, ascending. */
  ports?: number[];
}

/** Where a process runs, in a few words: `container web (docker 3f2a9c1b2d4e)`, `unit nginx.service`. */
export function placeText(p: Pick<ProcessIdentity, 'container' | 'unit'>): string | undefined {
  if (p.container) {
    const short = p.container.id.slice(0, 12);
    return p.container.name ? `container ${p.container.name} (${p.container.runtime} ${short})` : `${p.container.runtime} container ${short}`;
  }
  return p.unit ? `unit ${p.unit}` : undefined;
}
