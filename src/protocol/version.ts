// Sockscope's version, written once in package.json. esbuild keeps only this field of the JSON in each
// bundle; the CLI's --version, the helper's initialize answer and the language server's serverInfo use it.
export { version as SOCKSCOPE_VERSION } from '../../package.json';
