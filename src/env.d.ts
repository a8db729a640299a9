/// <reference types="svelte" />
/// <reference types="vite/client" />

/** Ids of the models the build ships (folders of model/ with model.json + meta.json). */
declare const __SHIPPED_MODELS__: readonly string[];
/** True only in the e2e build (`vite build --mode e2e`): test hooks are compiled in. */
declare const __TEST_HOOKS__: boolean;
