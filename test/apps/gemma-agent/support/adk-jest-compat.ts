/**
 * Import this FIRST in every test that loads `@google/adk`.
 *
 * ADK's CommonJS build `require()`s `lodash-es`, an ES module. Node 20.19+ loads it (require(esm)), but
 * Jest's module runtime does not, so tests map it to `lodash` (the same functions, CommonJS). The jest
 * config lives in projen-generated package.json; this keeps the fix local to the agent's tests.
 */
// Outside Jest (the benchmark and load-test scripts import the harness) there is nothing to do.
if (typeof jest !== 'undefined') jest.mock('lodash-es', () => jest.requireActual('lodash'));
