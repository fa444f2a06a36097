export * from './strict';
export * from './registry';
