/** Shared helpers of the AWS construct tests: an App with CloudFormation validation on, and cdk-nag. */
import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Context every test App sets: the same CloudFormation validation as cdk.json. */
export const TEST_CONTEXT = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** A fresh App (validation on) and an env-agnostic stack in it. */
export function newStack(id = 'Test'): { app: App; stack: Stack } {
  const app = new App({ context: TEST_CONTEXT });
  const stack = new Stack(app, id);
  return { app, stack };
}

/** Unacknowledged cdk-nag AwsSolutions findings under `scope`, as `RuleId path` strings. */
export function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) =>
    `${v.ruleName} ${r.constructPath ?? r.resourceLogicalId}`));
}

/** Code of a container image function that needs no Docker engine at synth. */
export function imageCode(scope: IConstruct, repo = 'gemma-ollama'): lambda.Code {
  return lambda.Code.fromEcrImage(ecr.Repository.fromRepositoryName(scope as Stack, `${repo}Repo`, repo), { tagOrDigest: 'v1' });
}
