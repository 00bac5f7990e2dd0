// Validates docs/openapi.yaml as an OpenAPI document (structure against the
// specification's schema, every $ref resolvable, the gap report's JSON Schema
// included) with @apidevtools/swagger-parser, pinned in tests/package-lock.json.
// Usage: node validate_openapi.js docs/openapi.yaml
'use strict';
const SwaggerParser = require('@apidevtools/swagger-parser');

SwaggerParser.validate(process.argv[2])
  .then((api) => {
    const operations = Object.values(api.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    console.log(`valid OpenAPI ${api.openapi} document: ${Object.keys(api.paths).length} paths, ${operations} operations`);
  })
  .catch((e) => {
    console.error(`invalid: ${e.message}`);
    process.exit(1);
  });
