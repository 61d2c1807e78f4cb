/**
 * The query API's OpenAPI document without a running service: the app built over stores that are never asked
 * anything (pools connect lazily), so the document is exactly the one `/openapi.json` serves.
 */
import { apiConfigFromEnv, buildApp, HotStore } from "../src/index";

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const config = apiConfigFromEnv({ DATABASE_URL: "postgres://unused@127.0.0.1:9/unused" });
  const hot = new HotStore({ url: config.databaseUrl, max: 1 });
  const app = await buildApp({ config, stores: { hot }, logger: false });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await hot.close();
  }
}
