export * from './suite-result.js';
export * from './xml-text.js';
export * from './case-text.js';
export * from './junit.js';
export * from './json-report.js';
export * from './write-reports.js';
