/**
 * The files of the manifest corpus that Kubernetes 1.30 rejects (applied alone to a fresh cluster
 * with no CRDs and no namespaces but the system ones), with the reason, and the files tugboat
 * rejects only because a part it lacks is built elsewhere (marked `gap`). Every other file is
 * accepted. Reasons are written as {@link rejectionReason} names them.
 */
import type { TugboatError } from '../../src/model/errors.js';

/** A rejection: its reason, and the Kubernetes rule (or tugboat gap) behind it. */
export interface ExpectedRejection {
  reason: string;
  /** Kubernetes' rule that rejects the file, or the missing part of tugboat. */
  why: string;
  /** True when Kubernetes 1.30 accepts the file and tugboat does not yet (another issue builds the part). */
  gap?: boolean;
}

/** A rejection's reason in a stable short form: the category and what it names. */
export function rejectionReason(err: TugboatError): string {
  // A document of a multi-document file is named first (`document 2 (Deployment web): ...`).
  const m = err.message.replace(/^document \d+ \([^)]*\): /, '');
  const kind = /^no matches for kind "([^"]+)" in version "([^"]+)"/.exec(m);
  if (kind) {
    if (m.includes('is not served (removed')) return `removed version ${kind[2]} ${kind[1]}`;
    return `kind not served ${kind[2]} ${kind[1]}`;
  }
  if (err.reason === 'NotFound' && err.status.details?.kind === 'namespaces') return `namespace ${err.status.details.name} not found`;
  if (/invalid YAML/.test(m)) return 'invalid YAML';
  if (err.reason === 'Invalid') return `invalid ${err.causes.map((c) => c.field).join(', ')}`;
  if (err.reason === 'Forbidden') return `forbidden ${m.replace(/^.* is forbidden: /, '')}`;
  return `${err.reason} ${m}`;
}

const NS = 'NamespaceLifecycle admission: the namespace does not exist (the file does not create it)';
const CRD = 'no CRD defines the kind (the corpus applies one file at a time; its CRD is not installed)';
const REMOVED = 'the API version was removed before Kubernetes 1.30';
const YAML = 'kubectl cannot parse the file either (sigs.k8s.io/yaml)';

const ns = (name: string): ExpectedRejection => ({ reason: `namespace ${name} not found`, why: NS });
const crd = (version: string, kind: string): ExpectedRejection => ({ reason: `kind not served ${version} ${kind}`, why: CRD });
const removed = (version: string, kind: string): ExpectedRejection => ({ reason: `removed version ${version} ${kind}`, why: REMOVED });
const mon = (kind: string) => crd('monitoring.coreos.com/v1', kind);

const P = 'website__content__en__examples__';
const KP = 'kube-prometheus__manifests__';
const GKE = 'kubernetes-engine-samples__';

/** File name -> why Kubernetes 1.30 (or, marked gap, only tugboat) rejects it. */
export const EXPECTED_REJECTIONS: Readonly<Record<string, ExpectedRejection>> = {
  'examples__AI__vllm-deployment__hpa__gpu-dcgm-exporter-service-generic.yaml': ns('monitoring'),
  'examples__AI__vllm-deployment__hpa__gpu-dcgm-exporter-service-gke.yaml': ns('gke-managed-system'),
  'examples__AI__vllm-deployment__hpa__gpu-service-monitor-generic.yaml': mon('ServiceMonitor'),
  'examples__AI__vllm-deployment__hpa__gpu-service-monitor-gke.yaml': mon('ServiceMonitor'),
  'examples__AI__vllm-deployment__hpa__prometheus-adapter.yaml': ns('monitoring'),
  'examples__AI__vllm-deployment__hpa__prometheus-rule.yaml': mon('PrometheusRule'),
  'examples__AI__vllm-deployment__hpa__vllm-service-monitor.yaml': mon('ServiceMonitor'),
  'examples___archived__cockroachdb__cockroachdb-statefulset.yaml': removed('policy/v1beta1', 'PodDisruptionBudget'),
  'examples___archived__newrelic-infrastructure__newrelic-infra-daemonset.yaml': removed('extensions/v1beta1', 'DaemonSet'),
  'examples___archived__podsecuritypolicy__rbac__policies.yaml': {
    reason: 'kind not served policy/v1beta1 PodSecurityPolicy',
    why: 'PodSecurityPolicy was removed in Kubernetes 1.25',
  },
  'examples___archived__spark__spark-gluster__glusterfs-endpoints.yaml': ns('spark-cluster'),
  'examples___archived__storage__redis__redis-controller.yaml': {
    reason: 'invalid spec.template.spec.volumes[0]',
    why: 'ValidateVolumes: a volume with no source ("must specify a volume type")',
  },
  [`${KP}alertmanager-alertmanager.yaml`]: mon('Alertmanager'),
  [`${KP}alertmanager-podDisruptionBudget.yaml`]: ns('monitoring'),
  [`${KP}alertmanager-secret.yaml`]: ns('monitoring'),
  [`${KP}blackboxExporter-configuration.yaml`]: ns('monitoring'),
  [`${KP}blackboxExporter-deployment.yaml`]: ns('monitoring'),
  [`${KP}grafana-config.yaml`]: ns('monitoring'),
  [`${KP}grafana-dashboardSources.yaml`]: ns('monitoring'),
  [`${KP}grafana-deployment.yaml`]: ns('monitoring'),
  [`${KP}kubeStateMetrics-deployment.yaml`]: ns('monitoring'),
  [`${KP}kubeStateMetrics-networkPolicy.yaml`]: ns('monitoring'),
  [`${KP}kubeStateMetrics-prometheusRule.yaml`]: mon('PrometheusRule'),
  [`${KP}nodeExporter-daemonset.yaml`]: ns('monitoring'),
  [`${KP}nodeExporter-service.yaml`]: ns('monitoring'),
  [`${KP}prometheus-prometheus.yaml`]: mon('Prometheus'),
  [`${KP}prometheus-roleBindingSpecificNamespaces.yaml`]: ns('monitoring'),
  [`${KP}prometheus-roleSpecificNamespaces.yaml`]: ns('monitoring'),
  [`${KP}prometheus-serviceMonitor.yaml`]: mon('ServiceMonitor'),
  [`${KP}prometheusAdapter-configMap.yaml`]: ns('monitoring'),
  [`${KP}prometheusOperator-deployment.yaml`]: ns('monitoring'),
  [`${GKE}ai-ml__gke-model-armor__preparing-the-model__vllm-gemma-deployment.yaml`]: { reason: 'invalid YAML', why: YAML },
  [`${GKE}autopilot__networking-tutorial__kubernetes-manifests.yaml`]: crd('networking.gke.io/v1', 'ManagedCertificate'),
  [`${GKE}batch__kueue-intro__job-team-a.yaml`]: ns('team-a'),
  [`${GKE}demos__vit-training-example__yamls__spec-filestore.yaml`]: ns('example'),
  [`${GKE}networking__dpv2-observability__hubble-ui-128.yaml`]: ns('gke-managed-dpv2-observability'),
  [`${GKE}observability__custom-metrics-autoscaling__google-managed-prometheus__custom-metrics-gmp.yaml`]: crd(
    'monitoring.googleapis.com/v1',
    'PodMonitoring',
  ),
  [`${GKE}observability__elastic-stack-tutorial__fleet-server-and-agents.yaml`]: ns('elastic-system'),
  [`${GKE}observability__elastic-stack-tutorial__ingress.yaml`]: crd('networking.gke.io/v1beta1', 'FrontendConfig'),
  [`${GKE}observability__workload-metrics__manifests__workload-metrics-hpa.yaml`]: ns('gke-workload-metrics'),
  [`${GKE}security__wi-secrets__manifests__readonly-pod.yaml`]: ns('readonly-ns'),
  'microservices-demo__release__istio-manifests.yaml': crd('networking.istio.io/v1alpha3', 'VirtualService'),
  [`${P}admin__resource__memory-defaults-pod.yaml`]: ns('default-mem-example'),
  [`${P}application__job__cronjob.yaml`]: removed('batch/v1beta1', 'CronJob'),
  [`${P}customresourcedefinition__shirt-resources.yaml`]: crd('stable.example.com/v1', 'Shirt'),
  [`${P}pods__image-volumes.yaml`]: {
    reason: 'invalid spec.volumes[0]',
    why: 'the image volume source is alpha in 1.31: 1.30 drops the unknown field and finds no volume type',
  },
  [`${P}pods__inject__envars-file-container.yaml`]: {
    reason: 'invalid spec.containers[0].env[0].valueFrom',
    why: 'fileKeyRef is newer than 1.30: the unknown field is dropped and valueFrom names no source',
  },
  [`${P}pods__inject__pod-multiple-secret-env-variable.yaml`]: { reason: 'invalid YAML', why: YAML },
  [`${P}pods__pod-projected-svc-token.yaml`]: {
    reason: 'forbidden error looking up service account default/build-robot: serviceaccount "build-robot" not found',
    why: 'ServiceAccount admission: the pod names a ServiceAccount that does not exist',
  },
  [`${P}pods__pod-with-numeric-toleration.yaml`]: {
    reason: 'invalid spec.tolerations[0].operator',
    why: 'the Gt toleration operator is newer than 1.30: Equal and Exists only',
  },
  [`${P}pods__probe__grpc-liveness.yaml`]: {
    reason: 'invalid spec.containers[0].livenessProbe',
    why: 'the file writes `gRPC:` (the field is `grpc`): dropped as unknown, the probe has no handler',
  },
  [`${P}pods__qos__qos-pod-2.yaml`]: ns('qos-example'),
  [`${P}pods__qos__qos-pod-4.yaml`]: ns('qos-example'),
  [`${P}pods__qos__qos-pod-5.yaml`]: ns('qos-example'),
  [`${P}pods__qos__qos-pod.yaml`]: ns('qos-example'),
  [`${P}pods__resource__memory-request-limit-2.yaml`]: ns('mem-example'),
  [`${P}pods__resource__pod-level-resources.yaml`]: ns('pod-resources-example'),
  [`${P}pods__resource__pod-resize.yaml`]: ns('qos-example'),
  [`${P}policy__high-priority-pod.yaml`]: {
    reason: 'forbidden no PriorityClass with name high was found',
    why: 'Priority admission: the PriorityClass does not exist',
  },
  [`${P}policy__restricted-psp.yaml`]: {
    reason: 'kind not served policy/v1beta1 PodSecurityPolicy',
    why: 'PodSecurityPolicy was removed in 1.25',
  },
  [`${P}secret__tls-auth-secret.yaml`]: {
    reason: 'invalid data[tls.crt], data[tls.key]',
    why: 'Secret data must be base64 (the file holds placeholder text); Kubernetes fails decoding it',
  },
  [`${P}service__networking__gateway.yaml`]: crd('gateway.networking.k8s.io/v1', 'Gateway'),
};
