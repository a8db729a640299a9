/// <reference types="svelte" />
/// <reference types="vite/client" />

/** Ids of the models the build ships (folders of model/ with model.json + meta.json). */
declare const __SHIPPED_MODELS__: readonly string[];
