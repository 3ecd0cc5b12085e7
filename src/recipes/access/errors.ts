// The error of access as code is the engine's plan refusal (recipes/engine/errors.ts); named here for access's readers.
export { AccessPlanError, isAccessPlanError, type AccessPlanErrorCode } from "../engine/errors.js";
