/**
 * A fluent Deployment fixture: `makeDeployment('web').replicas(3).image('web:2').readinessProbe().obj()`
 * is a Deployment of one container `app`, its pods labelled `app=web`.
 */
import type { Deployment, core } from '../model/types.js';

type DeploymentSpec = NonNullable<Deployment['spec']>;

/** Builds a Deployment step by step; {@link DeploymentBuilder.obj} hands out a fresh copy. */
export class DeploymentBuilder {
  private readonly deployment: Deployment;

  /** One replica of container `app` running `web:1`, selected and labelled `app=<name>`. */
  constructor(name: string, namespace = 'default') {
    this.deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } },
      },
    };
  }

  private get spec(): DeploymentSpec {
    return this.deployment.spec!;
  }

  private get podSpecOf(): core.PodSpec {
    return this.spec.template.spec!;
  }

  private get container(): core.Container {
    return this.podSpecOf.containers[0];
  }

  /** Sets spec.replicas. */
  replicas(n: number): this {
    this.spec.replicas = n;
    return this;
  }

  /** Sets the image of container `app`. */
  image(image: string): this {
    this.container.image = image;
    return this;
  }

  /** Adds labels to the pod template and the selector. */
  labels(labels: Record<string, string>): this {
    Object.assign(this.spec.template.metadata!.labels!, labels);
    Object.assign(this.spec.selector.matchLabels!, labels);
    return this;
  }

  /** Sets the resource requests of container `app`. */
  req(requests: Record<string, string>): this {
    this.container.resources = { ...this.container.resources, requests };
    return this;
  }

  /**
   * Gives container `app` an httpGet readiness probe on port 8080 (a mock image's `readyAfterMs`
   * then decides when pods are Ready). @param periodSeconds @default 1
   */
  readinessProbe(periodSeconds = 1): this {
    this.container.readinessProbe = { httpGet: { path: '/', port: 8080 }, periodSeconds, failureThreshold: 1 };
    return this;
  }

  /** Sets spec.strategy. */
  strategy(strategy: DeploymentSpec['strategy']): this {
    if (strategy) this.spec.strategy = strategy;
    else delete this.spec.strategy;
    return this;
  }

  /** Sets spec.minReadySeconds. */
  minReadySeconds(seconds: number): this {
    this.spec.minReadySeconds = seconds;
    return this;
  }

  /** Sets spec.progressDeadlineSeconds. */
  progressDeadlineSeconds(seconds: number): this {
    this.spec.progressDeadlineSeconds = seconds;
    return this;
  }

  /** Merges fields into the pod template's spec (affinity, tolerations, nodeSelector, ...). */
  podSpec(fields: Partial<core.PodSpec>): this {
    Object.assign(this.podSpecOf, structuredClone(fields));
    return this;
  }

  /** The Deployment built so far (a copy: the builder can go on). */
  obj(): Deployment {
    return structuredClone(this.deployment);
  }
}

/** Starts a Deployment fixture. */
export function makeDeployment(name: string, namespace?: string): DeploymentBuilder {
  return new DeploymentBuilder(name, namespace);
}
