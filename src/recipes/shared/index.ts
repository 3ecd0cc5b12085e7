// What every workflow shares and none owns: step reports and progress (report.ts), the clock (clock.ts), bounded
// concurrency (pool.ts), the team-exists read (team-exists.ts) and YAML reading (yaml.ts).
export { stepError, type RecipeProgress, type RecipeStepError } from "./report.js";
export { resolveNow, type NowOption } from "./clock.js";
export { pool } from "./pool.js";
export { teamExists } from "./team-exists.js";
