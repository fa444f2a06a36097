/**
 * Entry point that cdktf.json names: composes every cdktf sample stack. Synthesizes with no
 * credentials and no terraform binary: `npm run synth:cdktf`, output in cdktf.out/.
 *
 * `SAMPLE_APPS` (comma-separated app names; unset = all) selects the apps to synthesize.
 */
import { App } from 'cdktf';
import { addCloudRunApp, CLOUD_RUN_APP_NAME } from './cloud-run';
import { addGkeJetstreamHpaApp, GKE_JETSTREAM_HPA_APP } from './gke-jetstream-hpa';
import { addGkeMultiClusterApp, GKE_MULTI_CLUSTER_APP } from './gke-multi-cluster';
import { addK8sDeliveryApp, K8S_DELIVERY_APP } from './k8s-delivery';
import { useRelativeLocalState } from './local-state';

const app = new App();

const selected = (process.env.SAMPLE_APPS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const wanted = (name: string) => selected.length === 0 || selected.includes(name);

if (wanted(CLOUD_RUN_APP_NAME)) addCloudRunApp(app);
if (wanted(GKE_JETSTREAM_HPA_APP)) addGkeJetstreamHpaApp(app);
if (wanted(GKE_MULTI_CLUSTER_APP)) addGkeMultiClusterApp(app);
if (wanted(K8S_DELIVERY_APP)) addK8sDeliveryApp(app);

useRelativeLocalState(app);
app.synth();
