// Types of scripts/gen-inline-handler.mjs, for the test that checks the generated module is current.
export declare const ENTRY: string;
export declare const TARGET: string;
export declare const ZIP_FILE_LIMIT: number;
export declare function bundleHandler(): Promise<string>;
export declare function renderInlineModule(): Promise<string>;
