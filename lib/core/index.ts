export * from './errors';
export * from './validate';
export * from './model';
export * from './accelerator';
export * from './ec2-instances';
export * from './ec2-cpu-instances';
export * from './serving';
