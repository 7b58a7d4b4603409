#!/usr/bin/env node
// Runs the compiled CLI. The Node check comes first, in syntax every Node parses, so an old Node gets a sentence.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `shipshape needs Node.js 22.13 or newer (Node 24 LTS recommended); this is Node ${process.versions.node}.\n` +
      'hint: install Node 24 LTS (or run through a version manager such as nvm, fnm or volta), then try again.\n',
  );
  process.exit(2);
}
let main;
try {
  main = await import('../dist/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/main.js')) throw err;
  process.stderr.write('shipshape is not built in this checkout.\nhint: run "npm run build" first.\n');
  process.exit(2);
}
process.exitCode = await main.run(process.argv.slice(2));
