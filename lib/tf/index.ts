/**
 * The only module that imports the `cdktf` package root and shared `@cdktf/*` helpers: a later move to
 * CDK Terrain (cdktn) is a change here and in package.json only.
 */
export * from './cdktf';
export * from './tf-template';
export * from './terraform-data';
