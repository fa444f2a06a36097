export * from './strict';
export * from './registry';
export * from './crds';
