export { copyExample, type ExampleCopy, PACKAGE_ROOT } from '../../src/demo/copy-example.ts';
