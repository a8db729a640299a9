/** True only in the e2e build (`vite build --mode e2e`): test hooks are compiled in. */
declare const __TEST_HOOKS__: boolean;
