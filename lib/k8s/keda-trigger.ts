import { Construct } from 'constructs';
import { isUnresolved, Validator } from '../core/validate';
import { ITerraformDependable } from '../tf';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';
import { registerDeliverySchemas } from './validation/crds';

registerDeliverySchemas();

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
const PARAMETER = /^[a-zA-Z][a-zA-Z0-9]{0,62}$/;

/** One `secretTargetRef` entry: a scaler parameter read from a key of a Kubernetes Secret. */
export interface KedaSecretRef {
  /** The scaler's authentication parameter, e.g. `bearerToken`, `username`, `password`, `sasl`, `ca`. */
  readonly parameter: string;
  /** Name of the Secret, in the TriggerAuthentication's namespace. */
  readonly secretName: string;
  /** Key in the Secret. */
  readonly key: string;
}

/** Props of {@link KedaTriggerAuthentication}. */
export interface KedaTriggerAuthenticationProps {
  /** Object name (a DNS-1123 label). */
  readonly name: string;
  /** Namespace (that of the ScaledObject using it). @default 'default' */
  readonly namespace?: string;
  /** Parameters read from Kubernetes Secrets (at least one). Credentials are never written into a manifest. */
  readonly secrets: KedaSecretRef[];
}

/**
 * A KEDA `TriggerAuthentication` that hands scalers their credentials from Kubernetes Secrets
 * (`secretTargetRef`). It has no way to take an inline value: the Secrets are created out of band
 * (`kubectl create secret`, External Secrets, Secret Manager CSI), so no credential reaches Terraform state.
 */
export class KedaTriggerAuthentication extends Construct implements IManifestSource {
  /** Object name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** The scaler parameters it provides. */
  public readonly parameters: readonly string[];
  /** The object. */
  public readonly object: KubernetesObject;

  constructor(scope: Construct, id: string, props: KedaTriggerAuthenticationProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    this.name = props.name;
    this.namespace = props.namespace ?? 'default';
    v.matches('NAME_INVALID', 'name', this.name, DNS_LABEL, 'a DNS-1123 label (lowercase letters, digits, hyphens; at most 63)');
    v.matches('NAME_INVALID', 'namespace', this.namespace, DNS_LABEL, 'a DNS-1123 label');
    if (props.secrets.length === 0) v.fail('SECRETS_MISSING', 'secrets', props.secrets, 'at least one secret reference');
    props.secrets.forEach((s, i) => {
      v.matches('SECRET_REF_INVALID', `secrets[${i}].parameter`, s.parameter, PARAMETER, 'a scaler parameter name (letters and digits, starting with a letter)');
      v.matches('SECRET_REF_INVALID', `secrets[${i}].secretName`, s.secretName, DNS_SUBDOMAIN, 'a Secret name (DNS-1123 subdomain)');
      v.matches('SECRET_REF_INVALID', `secrets[${i}].key`, s.key, SECRET_KEY, 'a Secret key (letters, digits, -, _, .)');
    });
    const params = props.secrets.map((s) => s.parameter);
    const dup = params.find((p, i) => params.indexOf(p) !== i);
    if (dup !== undefined) v.fail('SECRET_REF_INVALID', 'secrets', dup, 'each parameter once');
    this.parameters = params;
    this.object = new KubernetesObject(this, 'Resource', {
      manifest: {
        apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication',
        metadata: { name: this.name, namespace: this.namespace },
        spec: { secretTargetRef: props.secrets.map((s) => ({ parameter: s.parameter, name: s.secretName, key: s.key })) },
      },
    });
  }

  /** The TriggerAuthentication, as a plain manifest (one element). */
  public get manifests(): readonly KubernetesManifest[] {
    return this.object.manifests;
  }

  /** The Terraform resource, for `dependsOn`. */
  public get dependable(): ITerraformDependable {
    return this.object.resource;
  }
}

/** Options of {@link KedaTrigger.prometheus}. */
export interface PrometheusTriggerOptions {
  /** Prometheus HTTP API base URL (http or https, no credentials in it), e.g. `http://prometheus.monitoring:9090`. */
  readonly serverAddress: string;
  /** PromQL returning one value, e.g. `sum(vllm:num_requests_waiting{namespace="llm"})`. */
  readonly query: string;
  /** Target value per replica (> 0). */
  readonly threshold: number;
  /** Value above which the workload is activated from zero (>= 0). @default - KEDA's default, 0 */
  readonly activationThreshold?: number;
  /** Credentials (its parameters must include those of `authModes`). @default - none */
  readonly authentication?: KedaTriggerAuthentication;
  /** `authModes`: `bearer`, `basic` or `tls`. @default - none */
  readonly authMode?: 'bearer' | 'basic' | 'tls';
  /** Trigger name (unique in the ScaledObject). @default - none */
  readonly name?: string;
}

/** Options of {@link KedaTrigger.kafka}. */
export interface KafkaTriggerOptions {
  /** Broker addresses, `host:port` each. */
  readonly bootstrapServers: string[];
  /** Consumer group whose lag is measured. */
  readonly consumerGroup: string;
  /** Topic. */
  readonly topic: string;
  /** Target lag (messages) per replica (integer >= 1). @default 10 */
  readonly lagThreshold?: number;
  /** Lag above which the workload is activated from zero (integer >= 0). @default - KEDA's default, 0 */
  readonly activationLagThreshold?: number;
  /** SASL/TLS credentials. @default - none */
  readonly authentication?: KedaTriggerAuthentication;
  /** Trigger name (unique in the ScaledObject). @default - none */
  readonly name?: string;
}

/** Options of {@link KedaTrigger.cpu} and {@link KedaTrigger.memory}. */
export interface ResourceTriggerOptions {
  /** Container whose usage counts. @default - every container of the pod */
  readonly containerName?: string;
  /** Trigger name (unique in the ScaledObject). @default - none */
  readonly name?: string;
}

/** A KEDA trigger as the ScaledObject holds it. */
export interface KedaTriggerSpec {
  /** Scaler type. */
  readonly type: string;
  /** Trigger name. */
  readonly name?: string;
  /** `Utilization` for cpu/memory. */
  readonly metricType?: string;
  /** Scaler metadata (strings). */
  readonly metadata: Record<string, string>;
  /** TriggerAuthentication reference. */
  readonly authenticationRef?: { readonly name: string };
}

const KAFKA_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const HOST_PORT = /^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?:[0-9]{1,5}$/;
const URL = /^https?:\/\/[^\s/@]+(:[0-9]{1,5})?(\/[^\s]*)?$/;

function num(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/**
 * A typed KEDA trigger: Prometheus query, Kafka consumer lag, CPU or memory utilization. Factories validate
 * their fields; credentials only come through a {@link KedaTriggerAuthentication}.
 */
export class KedaTrigger {
  /** KEDA `prometheus` scaler: a PromQL value against a per-replica threshold (e.g. requests waiting). */
  public static prometheus(options: PrometheusTriggerOptions): KedaTrigger {
    const v = new Validator('KedaTrigger.prometheus');
    if (!isUnresolved(options.serverAddress) && /^[a-z]+:\/\/[^/]*@/.test(options.serverAddress)) {
      v.fail('CREDENTIALS_INLINE', 'serverAddress', options.serverAddress.replace(/\/\/[^/]*@/, '//***@'),
        'a URL without user info', 'pass credentials through a KedaTriggerAuthentication (authMode basic or bearer)');
    }
    v.matches('TRIGGER_INVALID', 'serverAddress', options.serverAddress, URL, 'an http(s) URL, e.g. http://prometheus.monitoring:9090');
    if (!isUnresolved(options.query) && (typeof options.query !== 'string' || options.query.trim() === '')) {
      v.fail('TRIGGER_INVALID', 'query', options.query, 'a non-empty PromQL query');
    }
    v.numberInRange('TRIGGER_INVALID', 'threshold', options.threshold, 0.001, 1e9);
    v.numberInRange('TRIGGER_INVALID', 'activationThreshold', options.activationThreshold, 0, 1e9);
    v.oneOf('TRIGGER_INVALID', 'authMode', options.authMode, ['bearer', 'basic', 'tls']);
    if (options.authMode && !options.authentication) {
      v.fail('TRIGGER_INVALID', 'authentication', undefined, `a KedaTriggerAuthentication providing the ${options.authMode} parameters`);
    }
    const needs = { bearer: ['bearerToken'], basic: ['username', 'password'], tls: ['ca', 'cert', 'key'] }[options.authMode ?? 'bearer'];
    if (options.authMode && options.authentication) {
      const missing = needs.filter((p) => !options.authentication!.parameters.includes(p));
      if (missing.length) v.fail('TRIGGER_INVALID', 'authentication', options.authentication.parameters, `parameters ${needs.join(', ')}`, `missing ${missing.join(', ')}`);
    }
    return new KedaTrigger({
      type: 'prometheus', name: options.name,
      metadata: {
        serverAddress: options.serverAddress, query: options.query, threshold: num(options.threshold),
        ...(options.activationThreshold !== undefined ? { activationThreshold: num(options.activationThreshold) } : {}),
        ...(options.authMode ? { authModes: options.authMode } : {}),
      },
      authenticationRef: options.authentication ? { name: options.authentication.name } : undefined,
    }, options.authentication);
  }

  /** KEDA `kafka` scaler: consumer-group lag of a topic (asynchronous inference requests). */
  public static kafka(options: KafkaTriggerOptions): KedaTrigger {
    const v = new Validator('KedaTrigger.kafka');
    if (!isUnresolved(options.bootstrapServers) && (!Array.isArray(options.bootstrapServers) || options.bootstrapServers.length === 0)) {
      v.fail('TRIGGER_INVALID', 'bootstrapServers', options.bootstrapServers, 'at least one host:port');
    }
    options.bootstrapServers.forEach((b, i) => v.matches('TRIGGER_INVALID', `bootstrapServers[${i}]`, b, HOST_PORT, 'host:port'));
    v.matches('TRIGGER_INVALID', 'consumerGroup', options.consumerGroup, KAFKA_NAME, 'a Kafka group id (1-249 of a-z A-Z 0-9 . _ -)');
    v.matches('TRIGGER_INVALID', 'topic', options.topic, KAFKA_NAME, 'a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)');
    v.integerInRange('TRIGGER_INVALID', 'lagThreshold', options.lagThreshold, 1, 1e9);
    v.integerInRange('TRIGGER_INVALID', 'activationLagThreshold', options.activationLagThreshold, 0, 1e9);
    return new KedaTrigger({
      type: 'kafka', name: options.name,
      metadata: {
        bootstrapServers: options.bootstrapServers.join(','), consumerGroup: options.consumerGroup, topic: options.topic,
        lagThreshold: String(options.lagThreshold ?? 10),
        ...(options.activationLagThreshold !== undefined ? { activationLagThreshold: String(options.activationLagThreshold) } : {}),
      },
      authenticationRef: options.authentication ? { name: options.authentication.name } : undefined,
    }, options.authentication);
  }

  /** KEDA `cpu` scaler: average CPU utilization in percent of the request (1-1000). It cannot scale to zero. */
  public static cpu(utilizationPercent: number, options: ResourceTriggerOptions = {}): KedaTrigger {
    return KedaTrigger.resource('cpu', utilizationPercent, options);
  }

  /** KEDA `memory` scaler: average memory utilization in percent of the request (1-1000). It cannot scale to zero. */
  public static memory(utilizationPercent: number, options: ResourceTriggerOptions = {}): KedaTrigger {
    return KedaTrigger.resource('memory', utilizationPercent, options);
  }

  private static resource(type: 'cpu' | 'memory', percent: number, options: ResourceTriggerOptions): KedaTrigger {
    const v = new Validator(`KedaTrigger.${type}`);
    v.integerInRange('TRIGGER_INVALID', 'utilizationPercent', percent, 1, 1000);
    v.matches('TRIGGER_INVALID', 'containerName', options.containerName, DNS_LABEL, 'a container name (DNS-1123 label)');
    return new KedaTrigger({
      type, name: options.name, metricType: 'Utilization',
      metadata: { value: String(percent), ...(options.containerName ? { containerName: options.containerName } : {}) },
    });
  }

  private constructor(
    /** The trigger, as the ScaledObject holds it. */
    public readonly spec: KedaTriggerSpec,
    /** Its TriggerAuthentication, if any. */
    public readonly authentication?: KedaTriggerAuthentication,
  ) {}

  /** True for the cpu and memory scalers (no scale to zero, no fallback). */
  public get isResourceMetric(): boolean {
    return this.spec.type === 'cpu' || this.spec.type === 'memory';
  }

  /** The trigger without undefined fields. */
  public render(): KedaTriggerSpec {
    return Object.fromEntries(Object.entries(this.spec).filter(([, x]) => x !== undefined)) as unknown as KedaTriggerSpec;
  }
}
