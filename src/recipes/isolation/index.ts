// Team isolation: each team holds exactly its projects (isolate-teams.ts), planned as engine changes and run on the
// one executor (../engine/).
export { isolateTeams, teamNameFromSlug } from "./isolate-teams.js";
export type { IsolateTeamsOptions, IsolationReport, IsolationStep } from "./isolate-teams.js";
