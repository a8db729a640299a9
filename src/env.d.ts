/// <reference types="svelte" />
/// <reference types="vite/client" />

/** The models the build ships (folders of model/ with model.json + meta.json), accurate first. */
declare const __SHIPPED_MODELS__: readonly {
  readonly id: string;
  readonly role: string;
  readonly inputSize: number;
  readonly version: string;
}[];
/** True only in the e2e build (`vite build --mode e2e`): test hooks are compiled in. */
declare const __TEST_HOOKS__: boolean;
