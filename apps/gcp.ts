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
import { sampleAppWanted } from './sample-apps';

const app = new App();

if (sampleAppWanted(CLOUD_RUN_APP_NAME)) addCloudRunApp(app);
if (sampleAppWanted(GKE_JETSTREAM_HPA_APP)) addGkeJetstreamHpaApp(app);
if (sampleAppWanted(GKE_MULTI_CLUSTER_APP)) addGkeMultiClusterApp(app);
if (sampleAppWanted(K8S_DELIVERY_APP)) addK8sDeliveryApp(app);

useRelativeLocalState(app);
app.synth();
