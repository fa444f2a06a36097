/**
 * Entry point that cdk.json names: composes every AWS CDK sample stack. Synthesizes with no
 * credentials: `npm run synth:aws` (pinned aws-cdk CLI), output in cdk.out/.
 *
 * `SAMPLE_APPS` (comma-separated app names; unset = all) selects the apps to synthesize.
 */
import { App } from 'aws-cdk-lib';
import { addAwsManagedInstancesApp, AWS_MANAGED_INSTANCES_APP } from './aws-managed-instances';

const app = new App();
const selected = process.env.SAMPLE_APPS?.split(',').map((s) => s.trim()).filter(Boolean);
const wanted = (name: string) => !selected || selected.includes(name);

if (wanted(AWS_MANAGED_INSTANCES_APP)) addAwsManagedInstancesApp(app);

app.synth();
