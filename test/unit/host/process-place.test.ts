// Containers and systemd units from cgroup paths, and container names from runtime state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cgroupPathOf, containerName, placeOfCgroupPath, type RuntimeRoots } from '../../../src/host/process-place';
import { prng } from '../../lib/prng';

const ID = 'a'.repeat(40) + '0123456789abcdef01234567';

test('cgroup paths name containers of each runtime and systemd units', () => {
  const cases: Array<[string, unknown]> = [
    [`/system.slice/docker-${ID}.scope`, { container: { runtime: 'docker', id: ID } }],
    [`/docker/${ID}`, { container: { runtime: 'docker', id: ID } }],
    [`/machine.slice/libpod-${ID}.scope/container`, { container: { runtime: 'podman', id: ID } }],
    [`/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope`, { container: { runtime: 'podman', id: ID } }],
    [`/machine.slice/libpod-conmon-${ID}.scope`, { unit: `libpod-conmon-${ID}.scope` }],
    [`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_5678.slice/cri-containerd-${ID}.scope`, { container: { runtime: 'containerd', id: ID } }],
    [`/kubepods/besteffort/pod12345678-aaaa/${ID}`, { container: { runtime: 'containerd', id: ID } }],
    [`/kubepods.slice/crio-${ID}.scope`, { container: { runtime: 'cri-o', id: ID } }],
    ['/system.slice/nginx.service', { unit: 'nginx.service' }],
    ['/user.slice/user-1000.slice/user@1000.service/app.slice/app-code.scope', { unit: 'app-code.scope' }],
    ['/user.slice', {}],
    ['/', {}],
    [`/process_api/${'f'.repeat(32)}`, {}],
  ];
  for (const [path, want] of cases) assert.deepEqual(placeOfCgroupPath(path), want, path);
});

test('the unified line wins, a v1 host falls back to name=systemd', () => {
  assert.equal(cgroupPathOf(`0::/system.slice/docker-${ID}.scope\n`), `/system.slice/docker-${ID}.scope`);
  assert.equal(cgroupPathOf('9:name=systemd:/system.slice/x.service\n4:memory:/a\n0::/\n'), '/system.slice/x.service');
  assert.equal(cgroupPathOf(`4:memory:/docker/${ID}\n0::/\n`), `/docker/${ID}`);
  assert.equal(cgroupPathOf(''), '');
});

test('container names come from the runtime state', () => {
  const dir = mkdtempSync(`${tmpdir()}/sockscope-place-`);
  try {
    const roots: RuntimeRoots = { docker: `${dir}/docker`, podman: [`${dir}/podman`], containerd: `${dir}/containerd`, crio: `${dir}/crio` };
    mkdirSync(`${dir}/docker/${ID}`, { recursive: true });
    writeFileSync(`${dir}/docker/${ID}/config.v2.json`, JSON.stringify({ Name: '/web' }));
    mkdirSync(`${dir}/podman`, { recursive: true });
    writeFileSync(`${dir}/podman/containers.json`, JSON.stringify([{ id: ID, names: ['db'] }]));
    mkdirSync(`${dir}/containerd/k8s.io/${ID}`, { recursive: true });
    writeFileSync(`${dir}/containerd/k8s.io/${ID}/config.json`, JSON.stringify({ annotations: { 'io.kubernetes.cri.sandbox-name': 'shop-7d9', 'io.kubernetes.cri.container-name': 'orders' } }));
    mkdirSync(`${dir}/crio/${ID}/userdata`, { recursive: true });
    writeFileSync(`${dir}/crio/${ID}/userdata/config.json`, JSON.stringify({ annotations: { 'io.kubernetes.pod.name': 'p', 'io.kubernetes.container.name': 'c' } }));
    assert.equal(containerName({ runtime: 'docker', id: ID }, roots), 'web');
    assert.equal(containerName({ runtime: 'podman', id: ID }, roots), 'db');
    assert.equal(containerName({ runtime: 'containerd', id: ID }, roots), 'shop-7d9/orders');
    assert.equal(containerName({ runtime: 'cri-o', id: ID }, roots), 'p/c');
    assert.equal(containerName({ runtime: 'docker', id: 'b'.repeat(64) }, roots), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('random cgroup text never throws', () => {
  const rnd = prng(99);
  const parts = ['0::', '9:name=systemd:', '/', 'docker', `docker-${ID}.scope`, ID, 'libpod_parent', 'x.service', ':', '\n', 'pod1', 'kubepods'];
  for (let i = 0; i < 5000; i++) {
    const text = Array.from({ length: Math.floor(rnd() * 10) }, () => parts[Math.floor(rnd() * parts.length)]).join('');
    placeOfCgroupPath(cgroupPathOf(text));
  }
});
