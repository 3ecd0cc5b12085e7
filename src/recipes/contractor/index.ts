// Contractor teams: a team limited to the listed projects, its people invited as members, a manifest to keep
// (create-team.ts), and offboarding from that manifest once it expires (offboard.ts). Both plan engine changes and
// run them on the one executor (../engine/): creation in rollback mode, offboarding step by step.
export { createContractorTeam } from "./create-team.js";
export { offboardContractors } from "./offboard.js";
export type { ContractorManifest, ContractorMember, ContractorStep, ContractorTeamOptions, ContractorTeamReport } from "./create-team.js";
export type { OffboardOptions, OffboardReport, OffboardStep } from "./offboard.js";
