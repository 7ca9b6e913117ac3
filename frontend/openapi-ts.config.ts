// The API client's types and zod schemas, generated from the API's OpenAPI document
// (docs/frontend-client.md). `npm run generate` dumps the document and writes src/client/.
import { defineConfig } from '@hey-api/openapi-ts';

export default defineConfig({
  input: './openapi.json',
  // No index.ts: the house has no barrel files; import types.gen / zod.gen directly.
  // OPENAPI_TS_OUTPUT: where the freshness test (tests/unit/test_frontend_client.py) writes its copy.
  output: { path: process.env.OPENAPI_TS_OUTPUT ?? './src/client', entryFile: false },
  plugins: ['@hey-api/typescript', 'zod'],
});
