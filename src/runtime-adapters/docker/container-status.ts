import type Docker from 'dockerode';
import { exitReason } from '../conventions.js';
import type { ContainerStatus } from '../types.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

function time(value: string | undefined): Date | undefined {
  if (!value || value.startsWith('0001-01-01')) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Maps Docker's state name to ContainerStatus.state. */
export function toState(status: string | undefined): ContainerStatus['state'] {
  switch (status) {
    case 'created':
      return 'created';
    case 'running':
    case 'paused':
    case 'restarting':
      return 'running';
    case 'exited':
    case 'dead':
    case 'removing':
      return 'exited';
    default:
      return 'unknown';
  }
}

/**
 * Maps a container's inspect result to a ContainerStatus (pure). The reason of an exit is
 * 'OOMKilled' when the kernel killed it for memory, else 'Completed' (code 0) or 'Error'.
 */
export function toContainerStatus(info: Docker.ContainerInspectInfo): ContainerStatus {
  const labels = { ...(info.Config?.Labels ?? {}) };
  const mode = info.HostConfig?.NetworkMode ?? '';
  const state = toState(info.State?.Status);
  const status: ContainerStatus = {
    id: info.Id,
    sandboxId: mode.startsWith('container:') ? mode.slice('container:'.length) : '',
    name: labels['io.tugboat.container.name'] ?? info.Name.replace(/^\//, ''),
    image: info.Config?.Image ?? '',
    imageId: info.Image,
    state,
    createdAt: new Date(info.Created),
    labels,
  };
  const startedAt = time(info.State?.StartedAt);
  if (startedAt) status.startedAt = startedAt;
  if (state === 'exited') {
    status.exitCode = info.State.ExitCode;
    status.reason = info.State.OOMKilled ? 'OOMKilled' : exitReason(info.State.ExitCode);
    const finishedAt = time(info.State.FinishedAt === ZERO_TIME ? undefined : info.State.FinishedAt);
    if (finishedAt) status.finishedAt = finishedAt;
  }
  return status;
}
