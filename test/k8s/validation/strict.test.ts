import { Testing, TerraformStack } from 'cdktf';
import { ValidationError } from '../../../lib/core/errors';
import {
  closeSchema, dottedPath, JsonSchema, KubernetesManifest, KubernetesObject, ManifestSchemas, ObservedSchema,
  validateManifest,
} from '../../../lib/k8s';

function deployment(): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }],
            resources: { limits: { 'nvidia.com/gpu': '1', 'memory': '1Gi' } },
            readinessProbe: { httpGet: { path: '/', port: 80 } },
          }],
        },
      },
    },
  };
}

function podMonitoring(): any {
  return {
    apiVersion: 'monitoring.googleapis.com/v1', kind: 'PodMonitoring', metadata: { name: 'pm', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, endpoints: [{ port: 9100, path: '/', interval: '5s' }] },
  };
}

describe('ManifestSchemas with kubernetes-models (built-in kinds)', () => {
  test('a valid Deployment passes', () => {
    expect(ManifestSchemas.issues(deployment())).toEqual([]);
  });

  test('an unknown key fails, naming its path', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].ports[0].bogus = true;
    d.metadata.extra = 'x';
    expect(ManifestSchemas.issues(d)).toEqual([
      { path: 'metadata.extra', message: 'unknown field' },
      { path: 'spec.template.spec.containers[0].ports[0].bogus', message: 'unknown field' },
    ]);
  });

  test('a wrong type fails, naming its path', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].ports[0].containerPort = '80';
    expect(ManifestSchemas.issues(d)).toEqual([{ path: 'spec.template.spec.containers[0].ports[0].containerPort', message: 'must be integer' }]);
  });

  test('a missing required field fails, naming its path', () => {
    const d = deployment();
    delete d.spec.selector;
    expect(ManifestSchemas.issues(d)).toEqual([{ path: 'spec.selector', message: 'required field is missing' }]);
  });

  test('map entries (labels, resource limits) are known keys', () => {
    const d = deployment();
    d.metadata.labels['example.com/anything'] = 'yes';
    expect(ManifestSchemas.issues(d)).toEqual([]);
  });

  test('HPA autoscaling/v2 and APIService resolve to their models', () => {
    expect(ManifestSchemas.find('autoscaling/v2', 'HorizontalPodAutoscaler')?.source).toContain('kubernetes-models@4.5.1');
    expect(ManifestSchemas.find('apiregistration.k8s.io/v1', 'APIService')).toBeDefined();
  });

  test('an unknown kind is itself a problem', () => {
    expect(ManifestSchemas.issues({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }))
      .toEqual([{ path: 'kind', message: 'no schema is known for example.com/v1 Widget' }]);
    expect(ManifestSchemas.issues(null)).toHaveLength(1);
  });
});

describe('hand-written PodMonitoring schema', () => {
  test('a valid PodMonitoring passes', () => {
    expect(ManifestSchemas.issues(podMonitoring())).toEqual([]);
  });

  test('an unknown key fails', () => {
    const m = podMonitoring();
    m.spec.endpoints[0].scrapeEvery = '5s';
    expect(ManifestSchemas.issues(m)).toEqual([{ path: 'spec.endpoints[0].scrapeEvery', message: 'unknown field' }]);
  });

  test('a wrong type fails', () => {
    const m = podMonitoring();
    m.spec.endpoints[0].interval = 5;
    expect(ManifestSchemas.issues(m)).toEqual([{ path: 'spec.endpoints[0].interval', message: 'must be string' }]);
  });

  test('a missing required field fails', () => {
    const m = podMonitoring();
    delete m.spec.endpoints[0].interval;
    expect(ManifestSchemas.issues(m)).toEqual([{ path: 'spec.endpoints[0].interval', message: 'required field is missing' }]);
  });

  test('an interval that is not a duration fails', () => {
    const m = podMonitoring();
    m.spec.endpoints[0].interval = 'soon';
    expect(ManifestSchemas.issues(m)[0].path).toBe('spec.endpoints[0].interval');
  });
});

describe('validateManifest and KubernetesObject', () => {
  test('throws MANIFEST_INVALID naming the construct path, the field and every problem', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    let err: unknown;
    try { validateManifest(d, 'Stack/Server'); } catch (e) { err = e; }
    expect(ValidationError.isValidationError(err)).toBe(true);
    const v = err as ValidationError;
    expect(v.code).toBe('MANIFEST_INVALID');
    expect(v.message).toContain('Stack/Server');
    expect(v.message).toContain('Deployment/web: spec.template.spec.containers[0].imagePullPolicyy = "Always"');
    expect(v.message).toContain('unknown field');
  });

  test('KubernetesObject emits kubernetes_manifest and exposes the manifest', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'S');
    const o = new KubernetesObject(stack, 'Pm', { manifest: podMonitoring() as KubernetesManifest });
    expect(o.manifests).toEqual([podMonitoring()]);
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.values(json.resource.kubernetes_manifest)[0]).toMatchObject({ manifest: podMonitoring() });
  });

  test('KubernetesObject rejects an invalid manifest at construction', () => {
    const stack = new TerraformStack(Testing.app(), 'S');
    const bad = podMonitoring();
    bad.spec.bogus = 1;
    expect(() => new KubernetesObject(stack, 'Pm', { manifest: bad })).toThrow(/\[MANIFEST_INVALID\] S\/Pm: .*spec\.bogus/);
  });

  test('a registered schema is used for its kind', () => {
    ManifestSchemas.register('example.com/v1', 'Widget', new JsonSchema('test', {
      type: 'object', properties: { apiVersion: {}, kind: {}, metadata: {}, spec: { type: 'object', properties: { size: { type: 'integer' } } } },
    }));
    expect(ManifestSchemas.issues({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } })).toEqual([]);
    expect(ManifestSchemas.issues({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { colour: 'red' } }))
      .toEqual([{ path: 'spec.colour', message: 'unknown field' }]);
  });
});

describe('@kubernetes-models/* CRD models', () => {
  test('registerModel makes a CRD model strict: valid passes, unknown key / wrong type / missing field fail', () => {
    const { ScaledObject } = require('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject');
    ManifestSchemas.registerModel('keda.sh/v1alpha1', 'ScaledObject', ScaledObject, '@kubernetes-models/keda@0.4.2');
    const so = (): any => ({
      apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x' },
      spec: { scaleTargetRef: { name: 'd' }, triggers: [{ type: 'prometheus', metadata: { query: 'q', threshold: '1' } }] },
    });
    expect(ManifestSchemas.issues(so())).toEqual([]);
    const unknown = so(); unknown.spec.triggers[0].typo = 1;
    expect(ManifestSchemas.issues(unknown)).toEqual([{ path: 'spec.triggers[0].typo', message: 'unknown field' }]);
    const wrong = so(); wrong.spec.triggers[0].type = 5;
    expect(ManifestSchemas.issues(wrong)).toEqual([{ path: 'spec.triggers[0].type', message: 'must be string' }]);
    const missing = so(); delete missing.spec.scaleTargetRef;
    expect(ManifestSchemas.issues(missing)).toEqual([{ path: 'spec.scaleTargetRef', message: 'required field is missing' }]);
    expect(ManifestSchemas.find('keda.sh/v1alpha1', 'ScaledObject')?.source).toContain('@kubernetes-models/keda@0.4.2');
  });
});

describe('helpers', () => {
  test('dottedPath renders indices and escaped keys', () => {
    expect(dottedPath('/spec/containers/0/resources/limits/nvidia.com~1gpu')).toBe('spec.containers[0].resources.limits.nvidia.com/gpu');
    expect(dottedPath('', 'spec')).toBe('spec');
    expect(dottedPath('')).toBe('(root)');
  });

  test('closeSchema closes every object that lists properties, and nothing else', () => {
    expect(closeSchema({ type: 'object', properties: { a: { type: 'object', properties: {} }, m: { type: 'object', additionalProperties: { type: 'string' } } } }))
      .toEqual({
        type: 'object', additionalProperties: false,
        properties: { a: { type: 'object', properties: {}, additionalProperties: false }, m: { type: 'object', additionalProperties: { type: 'string' } } },
      });
  });

  test('ObservedSchema leaves declared free-form paths open', () => {
    const fn = Object.assign((d: any) => { void d.spec; return true; }, { errors: null });
    const open = new ObservedSchema('test', fn, ['spec']);
    const closed = new ObservedSchema('test', fn);
    expect(open.validate({ spec: { anything: 1 } })).toEqual([]);
    expect(closed.validate({ spec: { anything: 1 } })).toEqual([{ path: 'spec.anything', message: 'unknown field' }]);
  });
});
