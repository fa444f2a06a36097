/**
 * Entry point that cdk.json names: composes every AWS CDK sample stack. Synthesizes with no
 * credentials: `npm run synth:aws` (pinned aws-cdk CLI), output in cdk.out/.
 *
 * `SAMPLE_APPS` (comma-separated app names; unset = all) selects the apps to synthesize.
 */
import { App } from 'aws-cdk-lib';
import { addAwsManagedInstancesApp, AWS_MANAGED_INSTANCES_APP } from './aws-managed-instances';
import { sampleAppWanted } from './sample-apps';

const app = new App();

if (sampleAppWanted(AWS_MANAGED_INSTANCES_APP)) addAwsManagedInstancesApp(app);

app.synth();
