/*
|--------------------------------------------------------------------------
| Ace entry point
|--------------------------------------------------------------------------
|
| Plain JavaScript on purpose: it must be able to refuse an old Node before
| the TypeScript loader is imported (the machine's own node may be v20;
| npm scripts put node_modules/.bin, i.e. Node 24, first on PATH).
|
*/
const [major] = process.versions.node.split('.').map(Number)
if (major < 24) {
  console.error(
    `This project needs Node.js 24 or newer (running ${process.version}).\n` +
      'Run commands through npm scripts (for example "npm run ace -- migration:run"), ' +
      'which use the Node 24 installed by "npm ci", or put node_modules/.bin first on PATH.'
  )
  process.exit(1)
}

await import('@poppinss/ts-exec')
await import('./bin/console.js')
