/** Moved to runtime/usage-error.ts (below every command); this re-export goes once cli/ no longer uses it. */
export * from '../runtime/usage-error.js';
