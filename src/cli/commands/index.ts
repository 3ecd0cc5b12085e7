// The command registry: adding a command is one file in this folder and one line in COMMANDS.
import type { Command } from "commander";
import type { CliIo } from "../io.js";
import { registerAccessApplyCommand } from "./access-apply.js";
import { registerAccessDriftCommands } from "./access-drift.js";
import { registerAccessPlanCommands } from "./access-plan.js";
import { registerAccessCommand } from "./access.js";
import { registerAuditCommand } from "./audit.js";
import { registerCompletionCommand } from "./completion.js";
import { registerContractorCommand } from "./contractor.js";
import { registerDemoCommand } from "./demo.js";
import { registerEmulatorCommand } from "./emulator.js";
import { registerImportCommand } from "./import-terraform.js";
import { registerIsolateCommand } from "./isolate.js";
import { registerMembersCommand } from "./members.js";
import { registerProjectsCommand } from "./projects.js";
import { registerReviewCommand } from "./review.js";
import { registerScimCommand } from "./scim.js";
import { registerScopesCommand } from "./scopes.js";
import { registerSsoCommand } from "./sso.js";
import { registerTeamsCommand } from "./teams.js";
import { registerTokensCommand } from "./tokens.js";
import { registerWhoamiCommand } from "./whoami.js";

/**
 * Adds one top-level command (with its subcommands) to the program. The action gets its flags and env through
 * `createCommandContext(io, command)`.
 */
export type RegisterCommand = (program: Command, io: CliIo) => void;

/**
 * Every command, in the order `--help` lists them.
 * @example for (const register of COMMANDS) register(program, io);
 */
export const COMMANDS: readonly RegisterCommand[] = [
  registerWhoamiCommand,
  registerTeamsCommand,
  registerMembersCommand,
  registerProjectsCommand,
  registerScimCommand,
  registerTokensCommand,
  registerAuditCommand,
  registerSsoCommand,
  registerScopesCommand,
  registerAccessCommand,
  registerReviewCommand,
  registerAccessPlanCommands,
  registerAccessApplyCommand,
  registerImportCommand,
  registerAccessDriftCommands,
  registerContractorCommand,
  registerIsolateCommand,
  registerEmulatorCommand,
  registerDemoCommand,
  registerCompletionCommand,
];
