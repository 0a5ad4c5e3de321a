// The .ssq language support of the extension: the language client; its commands are in query-commands.ts.
export { SsqLanguage, type LiveValuesProvider } from './client';
export { createLiveValuesProvider, type LiveSocketSource } from './live-values-provider';
export { queryCommands, type QueryRunResult } from './query-commands';
